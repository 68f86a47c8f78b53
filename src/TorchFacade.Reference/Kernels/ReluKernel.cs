using System.Numerics;
using System.Numerics.Tensors;
using static TorchFacade.Reference.Kernels.BlockMath;

namespace TorchFacade.Reference.Kernels;

/// <summary>Managed ReLU kernel (LibTorch: clamp_min(x, 0); backward threshold_backward on the output, so relu'(0) = 0).</summary>
public static class ReluKernel
{
    /// <summary>Forward: y = x &lt;= 0 ? 0 : x (NaN passes through).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/> itself).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Unary(x, y, new ForwardBlock<T>());

    /// <summary>Backward: dx = y &lt;= 0 ? 0 : g, from the saved output y (relu'(0) = 0; NaN passes g).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="output">The tensor the backward reads (see the summary).</param>
    /// <param name="gradInput">The gradient with respect to the input (same length).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> output, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Binary(gradOutput, output, gradInput, new BackwardBlock<T>());

    private readonly struct ForwardBlock<T>() : IUnaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> x, Span<T> y, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            // max(x, 0) propagates NaN and maps -0 to +0, like clamp_min.
            TensorPrimitives.Max(x, T.Zero, y);
        }
    }

    private readonly struct BackwardBlock<T>() : IBinaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            WhereLessOrEqual(saved, T.Zero, T.Zero, g, dx);
        }
    }
}
