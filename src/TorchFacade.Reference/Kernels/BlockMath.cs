using System.Numerics;
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

    /// <summary>dst[i] = erf(z[i]), evaluated in double (<see cref="ErrorFunction.Erf"/>) and rounded to <typeparamref name="T"/>.</summary>
    public static void Erf<T>(ReadOnlySpan<T> z, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            dst[i] = T.CreateTruncating(ErrorFunction.Erf(double.CreateTruncating(z[i])));
        }
    }

    /// <summary>A scalar constant in <typeparamref name="T"/> (rounded from double, as ATen casts double scalars to the tensor dtype).</summary>
    public static T C<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(value);
}
