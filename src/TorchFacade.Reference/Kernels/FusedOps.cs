using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Kernels;

/// <summary>A whole forward expression on four double lanes (float input is widened first and the result rounded once).</summary>
internal interface IFusedUnary
{
    Vector256<double> Apply(Vector256<double> x);
}

/// <summary>A whole backward expression g·f'(saved) on four double lanes.</summary>
internal interface IFusedBinary
{
    Vector256<double> Apply(Vector256<double> g, Vector256<double> saved);
}

/// <summary>
/// Runs a fused expression over the leading part of a block in one pass (register-resident, like LibTorch's
/// vectorized kernels); returns how many elements it did so the caller's multi-pass code handles the tail.
/// </summary>
internal static class FusedOps
{
    public static int Map<T, TOp>(ReadOnlySpan<T> x, Span<T> y, TOp op)
        where T : unmanaged
        where TOp : struct, IFusedUnary
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        int i = 0;
        if (typeof(T) == typeof(float))
        {
            var xf = MemoryMarshal.Cast<T, float>(x);
            var yf = MemoryMarshal.Cast<T, float>(y);
            for (; i <= xf.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Create(xf.Slice(i, Vector256<float>.Count)));
                Vector256.Narrow(op.Apply(lo), op.Apply(hi)).CopyTo(yf.Slice(i));
            }

            return i;
        }

        var xd = MemoryMarshal.Cast<T, double>(x);
        var yd = MemoryMarshal.Cast<T, double>(y);
        for (; i <= xd.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            op.Apply(Vector256.Create(xd.Slice(i, Vector256<double>.Count))).CopyTo(yd.Slice(i));
        }

        return i;
    }

    public static int Map<T, TOp>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, TOp op)
        where T : unmanaged
        where TOp : struct, IFusedBinary
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        int i = 0;
        if (typeof(T) == typeof(float))
        {
            var gf = MemoryMarshal.Cast<T, float>(g);
            var sf = MemoryMarshal.Cast<T, float>(saved);
            var df = MemoryMarshal.Cast<T, float>(dx);
            for (; i <= gf.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (g0, g1) = Vector256.Widen(Vector256.Create(gf.Slice(i, Vector256<float>.Count)));
                var (s0, s1) = Vector256.Widen(Vector256.Create(sf.Slice(i, Vector256<float>.Count)));
                Vector256.Narrow(op.Apply(g0, s0), op.Apply(g1, s1)).CopyTo(df.Slice(i));
            }

            return i;
        }

        var gd = MemoryMarshal.Cast<T, double>(g);
        var sd = MemoryMarshal.Cast<T, double>(saved);
        var dd = MemoryMarshal.Cast<T, double>(dx);
        for (; i <= gd.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            op.Apply(Vector256.Create(gd.Slice(i, Vector256<double>.Count)), Vector256.Create(sd.Slice(i, Vector256<double>.Count))).CopyTo(dd.Slice(i));
        }

        return i;
    }

    /// <summary>σ(u) = 1/(1 + exp(−u)).</summary>
    public static Vector256<double> Sigmoid(Vector256<double> u) =>
        Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-u));
}
