using System.Numerics;
using System.Numerics.Tensors;
using static TorchFacade.Reference.Kernels.BlockMath;

namespace TorchFacade.Reference.Kernels;

/// <summary>Managed tanh kernel (backward from the output y).</summary>
public static class TanhKernel
{
    /// <summary>Forward: y = tanh(x).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/> itself).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Unary(x, y, new ForwardBlock<T>());

    /// <summary>Backward: dx = g·(1 − y·y), from the saved output y.</summary>
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
            BlockMath.Tanh<T>(x, y, s1, s2);
        }
    }

    private readonly struct BackwardBlock<T>() : IBinaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            TensorPrimitives.Multiply(saved, saved, s1);
            TensorPrimitives.Subtract(T.One, s1, s1);
            TensorPrimitives.Multiply(g, s1, dx);
        }
    }
}
