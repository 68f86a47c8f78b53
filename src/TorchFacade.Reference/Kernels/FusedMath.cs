using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Kernels;

/// <summary>
/// Register-resident (fused) versions of the polynomial-heavy helpers: erf and tanh evaluated on
/// <see cref="Vector256{T}"/> of doubles (float input widened, computed, narrowed once), one pass over memory instead
/// of one pass per polynomial term. Same formulas as <see cref="BlockMath"/>; scalar tails go through it.
/// </summary>
internal static class FusedMath
{
    private const double TwoOverSqrtPi = 1.1283791670955125738961589031215;

    /// <summary>Whether the fused paths run here (256-bit vectors in hardware).</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>erf over float spans, in double lanes; returns how many leading elements were done (a multiple of 16).</summary>
    /// <remarks>The series Σ (2z²)ⁿ/(2n+1)!! runs as one Horner FMA per term with precomputed 1/(2n+1)!!, on four
    /// independent vectors at a time so the FMA chains overlap.</remarks>
    public static int ErfFloat(ReadOnlySpan<float> z, Span<float> dst, int terms, double saturation)
    {
        double[] a = ErfSeries(terms);
        int i = 0;
        for (; i <= z.Length - (2 * Vector256<float>.Count); i += 2 * Vector256<float>.Count)
        {
            var (z0, z1) = Vector256.Widen(Vector256.Create(z.Slice(i, Vector256<float>.Count)));
            var (z2, z3) = Vector256.Widen(Vector256.Create(z.Slice(i + Vector256<float>.Count, Vector256<float>.Count)));
            var t0 = z0 * z0;
            var t1 = z1 * z1;
            var t2 = z2 * z2;
            var t3 = z3 * z3;
            var u0 = t0 + t0;
            var u1 = t1 + t1;
            var u2 = t2 + t2;
            var u3 = t3 + t3;
            var last = Vector256.Create(a[terms]);
            Vector256<double> s0 = last, s1 = last, s2 = last, s3 = last;
            for (int k = terms - 1; k >= 0; k--)
            {
                var c = Vector256.Create(a[k]);
                s0 = Vector256.FusedMultiplyAdd(s0, u0, c);
                s1 = Vector256.FusedMultiplyAdd(s1, u1, c);
                s2 = Vector256.FusedMultiplyAdd(s2, u2, c);
                s3 = Vector256.FusedMultiplyAdd(s3, u3, c);
            }

            Vector256.Narrow(Finish(z0, t0, s0, saturation), Finish(z1, t1, s1, saturation)).CopyTo(dst.Slice(i));
            Vector256.Narrow(Finish(z2, t2, s2, saturation), Finish(z3, t3, s3, saturation)).CopyTo(dst.Slice(i + Vector256<float>.Count));
        }

        return i;
    }

    private static readonly Dictionary<int, double[]> ErfSeriesCache = [];

    // a[n] = 1/(1·3·5···(2n+1)), n = 0..terms.
    private static double[] ErfSeries(int terms)
    {
        lock (ErfSeriesCache)
        {
            if (!ErfSeriesCache.TryGetValue(terms, out double[]? a))
            {
                a = new double[terms + 1];
                a[0] = 1;
                for (int n = 1; n <= terms; n++)
                {
                    a[n] = a[n - 1] / ((2 * n) + 1);
                }

                ErfSeriesCache[terms] = a;
            }

            return a;
        }
    }

    private static Vector256<double> Finish(Vector256<double> z, Vector256<double> z2, Vector256<double> sum, double saturation)
    {
        var r = sum * z * Vector256.Exp(-z2) * Vector256.Create(TwoOverSqrtPi);
        var saturated = Vector256.GreaterThanOrEqual(Vector256.Abs(z), Vector256.Create(saturation));
        return Vector256.ConditionalSelect(saturated, Vector256.CopySign(Vector256<double>.One, z), r);
    }

    /// <summary>tanh over float or double spans (float in double lanes); returns how many leading elements were done.</summary>
    public static int Tanh<T>(ReadOnlySpan<T> x, Span<T> dst, double[] coefficients, int terms, double limit)
        where T : unmanaged
    {
        int i = 0;
        if (typeof(T) == typeof(float))
        {
            var xf = MemoryMarshal.Cast<T, float>(x);
            var df = MemoryMarshal.Cast<T, float>(dst);
            for (; i <= xf.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Create(xf.Slice(i, Vector256<float>.Count)));
                Vector256.Narrow(Tanh(lo, coefficients, terms, limit), Tanh(hi, coefficients, terms, limit)).CopyTo(df.Slice(i));
            }

            return i;
        }

        var xd = MemoryMarshal.Cast<T, double>(x);
        var dd = MemoryMarshal.Cast<T, double>(dst);
        for (; i <= xd.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            Tanh(Vector256.Create(xd.Slice(i, Vector256<double>.Count)), coefficients, terms, limit).CopyTo(dd.Slice(i));
        }

        return i;
    }

    /// <summary>exp over float spans in double lanes, rounded once; returns how many leading elements were done.</summary>
    public static int ExpFloat(ReadOnlySpan<float> x, Span<float> dst)
    {
        int i = 0;
        for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var (lo, hi) = Vector256.Widen(Vector256.Create(x.Slice(i, Vector256<float>.Count)));
            Vector256.Narrow(Vector256.Exp(lo), Vector256.Exp(hi)).CopyTo(dst.Slice(i));
        }

        return i;
    }

    private static Vector256<double> Tanh(Vector256<double> x, double[] coefficients, int terms, double limit)
    {
        var ax = Vector256.Abs(x);
        var x2 = x * x;
        var p = Vector256.Create(coefficients[terms - 1]);
        for (int k = terms - 2; k >= 0; k--)
        {
            p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(coefficients[k]));
        }

        var series = p * ax;
        var e = Vector256.Exp(ax + ax);
        var large = Vector256<double>.One - (Vector256.Create(2.0) / (e + Vector256<double>.One));
        var r = Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(limit)), series, large);
        return Vector256.CopySign(r, x);
    }
}
