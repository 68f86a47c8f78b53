using System.Numerics;
using TorchFacade.Reference.Kernels.Operators;

namespace TorchFacade.Reference.Kernels;

/// <summary>
/// Runs an <see cref="IActivationOperator"/> over spans in one pass (TensorPrimitives' shape: span in, span out):
/// the widest accelerated vectors first (512, then 256, then 128 bits), then the scalar tail, all through
/// <see cref="KernelLoop"/> (so large inputs are split across cores and <see cref="KernelOptions.ScalarOnly"/> forces
/// the scalar path). The output may be the input itself.
/// </summary>
internal static class ElementwiseKernel
{
    /// <summary>y = f(x).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TOp">The activation.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/>).</param>
    /// <param name="op">The activation with its hyperparameters.</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static unsafe void Forward<T, TOp>(ReadOnlySpan<T> x, Span<T> y, TOp op)
        where T : unmanaged
        where TOp : struct, IActivationOperator
    {
        KernelLoop.EnsureSupported<T>();
        KernelLoop.EnsureSameLength(x.Length, y.Length, "output");
        fixed (T* px = x, py = y)
        {
            KernelLoop.Run(new ForwardRange<T, TOp>(px, py, op), x.Length);
        }
    }

    /// <summary>dx = g·f'(saved).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TOp">The activation.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="saved">The saved input or output.</param>
    /// <param name="gradInput">The input gradient (same length).</param>
    /// <param name="op">The activation with its hyperparameters.</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static unsafe void Backward<T, TOp>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> saved, Span<T> gradInput, TOp op)
        where T : unmanaged
        where TOp : struct, IActivationOperator
    {
        KernelLoop.EnsureSupported<T>();
        KernelLoop.EnsureSameLength(gradOutput.Length, saved.Length, "saved");
        KernelLoop.EnsureSameLength(gradOutput.Length, gradInput.Length, "gradInput");
        fixed (T* pg = gradOutput, ps = saved, pd = gradInput)
        {
            KernelLoop.Run(new BackwardRange<T, TOp>(pg, ps, pd, op), gradOutput.Length);
        }
    }

    /// <summary>A hyperparameter rounded to <typeparamref name="T"/> (as ATen casts double scalars to the tensor's dtype), back in double.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The rounded value.</returns>
    public static double RoundTo<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T> => double.CreateTruncating(T.CreateTruncating(value));

    // The lane type per element type: double lanes for double, and for float when the operator widens it.
    private static unsafe void Dispatch<T, TLoop>(TLoop loop, long start, long end, bool vectorized, bool widenFloat)
        where T : unmanaged
        where TLoop : struct, ILaneLoop
    {
        if (typeof(T) == typeof(double))
        {
            Widths<double, TLoop>(loop, start, end, vectorized);
        }
        else if (widenFloat)
        {
            Widths<double, TLoop>(loop, start, end, vectorized);
        }
        else
        {
            Widths<float, TLoop>(loop, start, end, vectorized);
        }
    }

    /// <summary>Runs <paramref name="loop"/> over <c>[i, end)</c>: the widest accelerated vectors first, then narrower ones for the rest, then one lane at a time.</summary>
    /// <typeparam name="TLane">The lane element (float or double).</typeparam>
    /// <typeparam name="TLoop">The loop body.</typeparam>
    /// <param name="loop">The loop.</param>
    /// <param name="i">The first element.</param>
    /// <param name="end">One past the last element.</param>
    /// <param name="vectorized">Whether SIMD widths may run (else one lane at a time throughout).</param>
    internal static void Widths<TLane, TLoop>(TLoop loop, long i, long end, bool vectorized)
        where TLane : unmanaged, IBinaryFloatingPointIeee754<TLane>
        where TLoop : struct, ILaneLoop
    {
        if (vectorized)
        {
            if (Simd512<TLane>.IsHardwareAccelerated)
            {
                i = loop.Run<Simd512<TLane>>(i, end);
            }

            if (Simd256<TLane>.IsHardwareAccelerated)
            {
                i = loop.Run<Simd256<TLane>>(i, end);
            }

            if (Simd128<TLane>.IsHardwareAccelerated)
            {
                i = loop.Run<Simd128<TLane>>(i, end);
            }
        }

        loop.Run<Scalar<TLane>>(i, end);
    }

    // Float elements in double lanes are widened on load and rounded once on store.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe TV Load<TV, T>(T* p, long i)
        where TV : struct, ISimd<TV>
        where T : unmanaged => typeof(T) == typeof(float) && TV.IsDouble ? TV.LoadWidened((float*)p + i) : TV.Load(p + i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store<TV, T>(TV r, T* p, long i)
        where TV : struct, ISimd<TV>
        where T : unmanaged
    {
        if (typeof(T) == typeof(float) && TV.IsDouble)
        {
            r.StoreNarrowed((float*)p + i);
        }
        else
        {
            r.Store(p + i);
        }
    }

    /// <summary>A loop over whole vectors of one lane type from <c>i</c>; returns where it stopped.</summary>
    internal interface ILaneLoop
    {
        /// <summary>Processes whole vectors of <typeparamref name="TV"/> from <paramref name="i"/>.</summary>
        /// <typeparam name="TV">The lanes.</typeparam>
        /// <param name="i">The first element.</param>
        /// <param name="end">One past the last element.</param>
        /// <returns>The first element not processed.</returns>
        long Run<TV>(long i, long end)
            where TV : struct, ISimd<TV>;
    }

    private readonly unsafe struct ForwardRange<T, TOp>(T* x, T* y, TOp op) : IRangeKernel, ILaneLoop
        where T : unmanaged
        where TOp : struct, IActivationOperator
    {
        public void Run(long start, long end, bool vectorized) => Dispatch<T, ForwardRange<T, TOp>>(this, start, end, vectorized, TOp.WidenFloat);

        // Not inlined into the dispatch: each width is its own method, so the JIT inlines the whole operator into it.
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public long Run<TV>(long i, long end)
            where TV : struct, ISimd<TV>
        {
            for (; i + TV.Count <= end; i += TV.Count)
            {
                Store(op.Forward(Load<TV, T>(x, i)), y, i);
            }

            return i;
        }
    }

    private readonly unsafe struct BackwardRange<T, TOp>(T* g, T* saved, T* dx, TOp op) : IRangeKernel, ILaneLoop
        where T : unmanaged
        where TOp : struct, IActivationOperator
    {
        public void Run(long start, long end, bool vectorized) => Dispatch<T, BackwardRange<T, TOp>>(this, start, end, vectorized, TOp.WidenFloat);

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public long Run<TV>(long i, long end)
            where TV : struct, ISimd<TV>
        {
            for (; i + TV.Count <= end; i += TV.Count)
            {
                Store(op.Backward(Load<TV, T>(g, i), Load<TV, T>(saved, i)), dx, i);
            }

            return i;
        }
    }
}
