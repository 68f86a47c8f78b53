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

    /// <summary>erf over float spans, in double lanes; returns how many leading elements were done (a multiple of 8).</summary>
    public static int ErfFloat(ReadOnlySpan<float> z, Span<float> dst, int terms, double saturation)
    {
        int i = 0;
        for (; i <= z.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var (lo, hi) = Vector256.Widen(Vector256.Create(z.Slice(i, Vector256<float>.Count)));
            Vector256.Narrow(Erf(lo, terms, saturation), Erf(hi, terms, saturation)).CopyTo(dst.Slice(i));
        }

        return i;
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

    private static Vector256<double> Erf(Vector256<double> z, int terms, double saturation)
    {
        var one = Vector256<double>.One;
        var z2 = z * z;
        var t = z2 + z2;
        var acc = one;
        for (int k = terms; k >= 1; k--)
        {
            acc = Vector256.FusedMultiplyAdd(acc * t, Vector256.Create(1.0 / ((2 * k) + 1)), one);
        }

        var r = acc * z * Vector256.Exp(-z2) * Vector256.Create(TwoOverSqrtPi);
        var saturated = Vector256.GreaterThanOrEqual(Vector256.Abs(z), Vector256.Create(saturation));
        return Vector256.ConditionalSelect(saturated, Vector256.CopySign(one, z), r);
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
