using System.Numerics;
using System.Runtime.CompilerServices;
using TorchFacade.Reference.Kernels.Operators;
using TorchFacade.Reference.Kernels.Simd;

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
            KernelLoop.Run(new Range<T, TOp>(px, null, py, op), x.Length);
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
            KernelLoop.Run(new Range<T, TOp>(pg, ps == null ? pg : ps, pd, op), gradOutput.Length);
        }
    }

    /// <summary>A hyperparameter rounded to <typeparamref name="T"/> (as ATen casts double scalars to the tensor's dtype), back in double.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The rounded value.</returns>
    public static double RoundTo<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T> => double.CreateTruncating(T.CreateTruncating(value));

    // Forward when saved is null (reads a), else backward (reads g = a and saved).
    private readonly unsafe struct Range<T, TOp>(T* a, T* saved, T* dst, TOp op) : IRangeKernel
        where T : unmanaged
        where TOp : struct, IActivationOperator
    {
        public void Run(long start, long end, bool vectorized)
        {
            if (typeof(T) == typeof(double))
            {
                Widths<double>(start, end, vectorized, false);
            }
            else if (op.WidenFloat)
            {
                Widths<double>(start, end, vectorized, true);
            }
            else
            {
                Widths<float>(start, end, vectorized, false);
            }
        }

        private void Widths<TLane>(long i, long end, bool vectorized, bool widen)
            where TLane : unmanaged, IBinaryFloatingPointIeee754<TLane>
        {
            if (vectorized)
            {
                if (Simd512<TLane>.IsHardwareAccelerated)
                {
                    i = Loop<Simd512<TLane>>(i, end, widen);
                }

                if (Simd256<TLane>.IsHardwareAccelerated)
                {
                    i = Loop<Simd256<TLane>>(i, end, widen);
                }

                if (Simd128<TLane>.IsHardwareAccelerated)
                {
                    i = Loop<Simd128<TLane>>(i, end, widen);
                }
            }

            Loop<Scalar<TLane>>(i, end, widen);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private long Loop<TV>(long i, long end, bool widen)
            where TV : struct, ISimd<TV>
        {
            int w = TV.Count;
            for (; i + w <= end; i += w)
            {
                TV r = saved == null ? op.Forward(Load<TV>(a, i, widen)) : op.Backward(Load<TV>(a, i, widen), Load<TV>(saved, i, widen));
                if (widen)
                {
                    r.StoreNarrowed((float*)dst + i);
                }
                else
                {
                    r.Store(dst + i);
                }
            }

            return i;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TV Load<TV>(T* p, long i, bool widen)
            where TV : struct, ISimd<TV> => widen ? TV.LoadWidened((float*)p + i) : TV.Load(p + i);
    }
}
