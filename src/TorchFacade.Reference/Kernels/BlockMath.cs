using System.Numerics;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace TorchFacade.Reference.Kernels;

/// <summary>Vectorized building blocks the activation kernels share (selections, log1p, erf), each with a scalar tail.</summary>
internal static class BlockMath
{
    /// <summary>dst[i] = c[i] &gt; threshold ? a[i] : b[i] (NaN takes <paramref name="b"/>).</summary>
    public static void WhereGreater<T>(ReadOnlySpan<T> c, T threshold, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = new Vector<T>(threshold);
            for (; i <= c.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var mask = Vector.GreaterThan(new Vector<T>(c[i..]), t);
                Vector.ConditionalSelect(mask, new Vector<T>(a[i..]), new Vector<T>(b[i..])).CopyTo(dst[i..]);
            }
        }

        for (; i < c.Length; i++)
        {
            dst[i] = c[i] > threshold ? a[i] : b[i];
        }
    }

    /// <summary>dst[i] = c[i] &lt;= threshold ? a[i] : b[i] (NaN takes <paramref name="b"/>).</summary>
    public static void WhereLessOrEqual<T>(ReadOnlySpan<T> c, T threshold, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = new Vector<T>(threshold);
            for (; i <= c.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var mask = Vector.LessThanOrEqual(new Vector<T>(c[i..]), t);
                Vector.ConditionalSelect(mask, new Vector<T>(a[i..]), new Vector<T>(b[i..])).CopyTo(dst[i..]);
            }
        }

        for (; i < c.Length; i++)
        {
            dst[i] = c[i] <= threshold ? a[i] : b[i];
        }
    }

    /// <summary>dst[i] = c[i] &lt;= threshold ? value : b[i] (NaN takes <paramref name="b"/>).</summary>
    public static void WhereLessOrEqual<T>(ReadOnlySpan<T> c, T threshold, T value, ReadOnlySpan<T> b, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = new Vector<T>(threshold);
            var v = new Vector<T>(value);
            for (; i <= c.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var mask = Vector.LessThanOrEqual(new Vector<T>(c[i..]), t);
                Vector.ConditionalSelect(mask, v, new Vector<T>(b[i..])).CopyTo(dst[i..]);
            }
        }

        for (; i < c.Length; i++)
        {
            dst[i] = c[i] <= threshold ? value : b[i];
        }
    }

    /// <summary>
    /// dst = log(1 + u) for u ≥ 0 (as log1p: accurate for tiny u, +inf for +inf), computed as
    /// log(w)·u/(w − 1) with w = 1 + u, and u itself where w rounds to 1. <paramref name="s1"/> and
    /// <paramref name="s2"/> are scratch; <paramref name="dst"/> may alias <paramref name="u"/> only if
    /// <paramref name="u"/> is not needed afterwards.
    /// </summary>
    public static void Log1P<T>(ReadOnlySpan<T> u, Span<T> dst, Span<T> s1, Span<T> s2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Add(u, T.One, s1);          // w = 1 + u
        TensorPrimitives.Subtract(s1, T.One, s2);    // d = w - 1
        TensorPrimitives.Log(s1, s1);                // log(w)
        TensorPrimitives.Multiply(s1, u, s1);        // log(w) * u
        TensorPrimitives.Divide(s1, s2, s1);         // log(w) * u / d
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var zero = Vector<T>.Zero;
            var inf = new Vector<T>(T.PositiveInfinity);
            for (; i <= u.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var uv = new Vector<T>(u[i..]);
                var passThrough = Vector.BitwiseOr(Vector.Equals(new Vector<T>(s2[i..]), zero), Vector.Equals(uv, inf));
                Vector.ConditionalSelect(passThrough, uv, new Vector<T>(s1[i..])).CopyTo(dst[i..]);
            }
        }

        for (; i < u.Length; i++)
        {
            dst[i] = s2[i] == T.Zero || T.IsPositiveInfinity(u[i]) ? u[i] : s1[i];
        }
    }

    private const int WideChunk = 256;
    private const double TanhSeriesLimit = 0.4;

    // Taylor coefficients of tanh (odd powers x^1, x^3, ..., x^31) from tanh' = 1 - tanh^2. Below |x| = 0.4 each
    // term is at most 0.065 of the previous one: 16 terms reach double precision, 9 are enough for float.
    private static readonly double[] TanhCoefficients = BuildTanhCoefficients(16);
    private const int TanhTermsForFloat = 9;

    // erf series for float (in double lanes): terms of sum (2z^2)^n / (2n+1)!! up to n = 52 leave < 1e-10 of the sum for |z| < 3.95.
    private const int ErfTermsForFloat = 52;
    private const double ErfSaturation = 3.95;

    /// <summary>
    /// dst = exp(x). float is evaluated in double and rounded once (TensorPrimitives' float exp is up to 2 ulp off,
    /// e.g. exp(0) = 1.0000001 in its vector path); double uses TensorPrimitives' double exp (≤ 2 ulp).
    /// <paramref name="dst"/> may be <paramref name="x"/>.
    /// </summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            TensorPrimitives.Exp(x, dst);
            return;
        }

        if (FusedMath.IsSupported)
        {
            int done = FusedMath.ExpFloat(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(dst));
            x = x[done..];
            dst = dst[done..];
        }

        Span<double> wide = stackalloc double[WideChunk];
        for (int start = 0; start < x.Length; start += WideChunk)
        {
            int n = Math.Min(WideChunk, x.Length - start);
            Span<double> w = wide[..n];
            TensorPrimitives.ConvertTruncating<T, double>(x.Slice(start, n), w);
            TensorPrimitives.Exp(w, w);
            TensorPrimitives.ConvertTruncating<double, T>(w, dst.Slice(start, n));
        }
    }

    /// <summary>
    /// dst = tanh(x), accurate to a few ulp (TensorPrimitives' tanh is thousands of ulp off and gives tanh(0) ≠ 0):
    /// an odd Taylor polynomial (degree 31; 17 for float) for |x| &lt; 0.4, 1 − 2/(exp(2|x|) + 1) beyond, with the sign of x.
    /// float is evaluated in double and rounded once. <paramref name="s1"/>, <paramref name="s2"/> are scratch;
    /// <paramref name="dst"/> may be <paramref name="x"/>.
    /// </summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> dst, Span<T> s1, Span<T> s2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int done = FusedMath.IsSupported
            ? FusedMath.Tanh(x, dst, TanhCoefficients, typeof(T) == typeof(float) ? TanhTermsForFloat : TanhCoefficients.Length, TanhSeriesLimit)
            : 0;
        if (done > 0)
        {
            x = x[done..];
            dst = dst[done..];
            s1 = s1[done..];
            s2 = s2[done..];
        }

        if (typeof(T) == typeof(double))
        {
            TanhCore(x, dst, s1, s2, TanhCoefficients.Length);
            return;
        }

        Span<double> wide = stackalloc double[WideChunk];
        Span<double> w1 = stackalloc double[WideChunk];
        Span<double> w2 = stackalloc double[WideChunk];
        for (int start = 0; start < x.Length; start += WideChunk)
        {
            int n = Math.Min(WideChunk, x.Length - start);
            Span<double> w = wide[..n];
            TensorPrimitives.ConvertTruncating<T, double>(x.Slice(start, n), w);
            TanhCore<double>(w, w, w1[..n], w2[..n], TanhTermsForFloat);
            TensorPrimitives.ConvertTruncating<double, T>(w, dst.Slice(start, n));
        }
    }

    private static void TanhCore<T>(ReadOnlySpan<T> x, Span<T> dst, Span<T> s1, Span<T> s2, int terms)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Series: |x| * P(x^2).
        TensorPrimitives.Multiply(x, x, s1);
        s2.Fill(T.CreateTruncating(TanhCoefficients[terms - 1]));
        for (int k = terms - 2; k >= 0; k--)
        {
            TensorPrimitives.MultiplyAdd(s2, s1, T.CreateTruncating(TanhCoefficients[k]), s2);
        }

        TensorPrimitives.Abs(x, s1);
        TensorPrimitives.Multiply(s2, s1, s2);

        // Large |x|: 1 - 2/(exp(2|x|) + 1) (exp overflow gives exactly 1).
        TensorPrimitives.Multiply(s1, T.CreateTruncating(2.0), s1);
        TensorPrimitives.Exp(s1, s1);
        TensorPrimitives.Add(s1, T.One, s1);
        TensorPrimitives.Divide(T.CreateTruncating(2.0), s1, s1);
        TensorPrimitives.Subtract(T.One, s1, s1);

        T limit = T.CreateTruncating(TanhSeriesLimit);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lim = new Vector<T>(limit);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var xv = new Vector<T>(x[i..]);
                var small = Vector.LessThan(Vector.Abs(xv), lim);
                var r = Vector.ConditionalSelect(small, new Vector<T>(s2[i..]), new Vector<T>(s1[i..]));
                Vector.CopySign(r, xv).CopyTo(dst[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            T r = T.Abs(x[i]) < limit ? s2[i] : s1[i];
            dst[i] = T.CopySign(r, x[i]);
        }
    }

    private static double[] BuildTanhCoefficients(int terms)
    {
        // a[k] is the coefficient of x^k; (k+1) a[k+1] = [k == 0] - sum_{i+j=k} a[i] a[j].
        int degree = (2 * terms) - 1;
        var a = new double[degree + 2];
        a[1] = 1;
        for (int k = 1; k < degree; k++)
        {
            double sum = 0;
            for (int i = 1; i < k; i++)
            {
                sum += a[i] * a[k - i];
            }

            a[k + 1] = -sum / (k + 1);
        }

        var odd = new double[terms];
        for (int n = 0; n < terms; n++)
        {
            odd[n] = a[(2 * n) + 1];
        }

        return odd;
    }

    /// <summary>
    /// dst[i] = erf(z[i]). double: <see cref="ErrorFunction.Erf"/> per element. float: vectorized in double lanes,
    /// erf(z) = 2/√π·e^(−z²)·z·Σ (2z²)ⁿ/(2n+1)!! (all terms positive, Horner form) for |z| &lt; 3.95 and ±1 beyond
    /// (where float's erf is 1), rounded once. <paramref name="dst"/> may be <paramref name="z"/>.
    /// </summary>
    public static void Erf<T>(ReadOnlySpan<T> z, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            for (int i = 0; i < z.Length; i++)
            {
                dst[i] = T.CreateTruncating(ErrorFunction.Erf(double.CreateTruncating(z[i])));
            }

            return;
        }

        if (FusedMath.IsSupported)
        {
            int done = FusedMath.ErfFloat(MemoryMarshal.Cast<T, float>(z), MemoryMarshal.Cast<T, float>(dst), ErfTermsForFloat, ErfSaturation);
            z = z[done..];
            dst = dst[done..];
        }

        Span<double> w = stackalloc double[WideChunk];
        Span<double> t = stackalloc double[WideChunk];
        Span<double> acc = stackalloc double[WideChunk];
        Span<double> ones = stackalloc double[WideChunk];
        ones.Fill(1.0);
        for (int start = 0; start < z.Length; start += WideChunk)
        {
            int n = Math.Min(WideChunk, z.Length - start);
            Span<double> zw = w[..n], tw = t[..n], a = acc[..n];
            TensorPrimitives.ConvertTruncating<T, double>(z.Slice(start, n), zw);
            TensorPrimitives.Multiply(zw, zw, tw);                       // z²
            TensorPrimitives.Multiply(tw, 2.0, tw);                      // 2z²
            a.Fill(1.0);
            for (int k = ErfTermsForFloat; k >= 1; k--)
            {
                TensorPrimitives.Multiply(a, tw, a);
                TensorPrimitives.MultiplyAdd(a, 1.0 / ((2 * k) + 1), ones[..n], a);   // 1 + acc·2z²/(2k+1)
            }

            TensorPrimitives.Multiply(a, zw, a);                         // z·Σ
            TensorPrimitives.Multiply(tw, -0.5, tw);                     // −z²
            TensorPrimitives.Exp(tw, tw);
            TensorPrimitives.Multiply(a, tw, a);
            TensorPrimitives.Multiply(a, 1.1283791670955125738961589031215, a); // 2/√π
            for (int i = 0; i < n; i++)
            {
                double zi = zw[i];
                double r = Math.Abs(zi) >= ErfSaturation ? Math.CopySign(1.0, zi) : a[i];
                dst[start + i] = T.CreateTruncating(r);
            }
        }
    }

    /// <summary>A scalar constant in <typeparamref name="T"/> (rounded from double, as ATen casts double scalars to the tensor dtype).</summary>
    public static T C<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(value);
}
