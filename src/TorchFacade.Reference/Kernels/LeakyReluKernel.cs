using System.Numerics;
using System.Numerics.Tensors;
using static TorchFacade.Reference.Kernels.BlockMath;

namespace TorchFacade.Reference.Kernels;

/// <summary>Managed leaky ReLU kernel (LibTorch: strict x &gt; 0 test, so the derivative at 0 is the slope).</summary>
public static class LeakyReluKernel
{
    /// <summary>Forward: y = x &gt; 0 ? x : x·slope.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/> itself).</param>
    /// <param name="negativeSlope">The slope for x ≤ 0.</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double negativeSlope)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Unary(x, y, new ForwardBlock<T>(C<T>(negativeSlope)));

    /// <summary>Backward: dx = x &gt; 0 ? g : g·slope, from the saved input x.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="input">The tensor the backward reads (see the summary).</param>
    /// <param name="gradInput">The gradient with respect to the input (same length).</param>
    /// <param name="negativeSlope">The slope for x ≤ 0.</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> input, Span<T> gradInput, double negativeSlope)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Binary(gradOutput, input, gradInput, new BackwardBlock<T>(C<T>(negativeSlope)));

    private readonly struct ForwardBlock<T>(T slope) : IUnaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> x, Span<T> y, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            TensorPrimitives.Multiply(x, slope, s1);
            WhereGreater(x, T.Zero, x, s1, y);
        }
    }

    private readonly struct BackwardBlock<T>(T slope) : IBinaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            TensorPrimitives.Multiply(g, slope, s1);
            WhereGreater(saved, T.Zero, g, s1, dx);
        }
    }
}
