using System.Numerics;
using System.Numerics.Tensors;
using static TorchFacade.Reference.Kernels.BlockMath;

namespace TorchFacade.Reference.Kernels;

/// <summary>Managed GELU kernel, tanh approximation (approximate='tanh'), in LibTorch's op order.</summary>
public static class GeluTanhKernel
{
    /// <summary>Forward: inner = √(2/π)·(x + 0.044715·x³); y = 0.5·x·(1 + tanh(inner)).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/> itself).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Unary(x, y, new ForwardBlock<T>());

    /// <summary>Backward: dx = g·(0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²)), t = tanh(inner), from the saved input x.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="input">The tensor the backward reads (see the summary).</param>
    /// <param name="gradInput">The gradient with respect to the input (same length).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> input, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Binary(gradOutput, input, gradInput, new BackwardBlock<T>());

    private readonly struct ForwardBlock<T>() : IUnaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> x, Span<T> y, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            TensorPrimitives.Multiply(x, x, s1);
            TensorPrimitives.Multiply(s1, x, s1);                       // x³
            TensorPrimitives.Multiply(s1, C<T>(0.044715), s1);
            TensorPrimitives.Add(x, s1, s1);
            TensorPrimitives.Multiply(s1, C<T>(0.7978845608028654), s1); // inner
            BlockMath.Tanh<T>(s1, s1, s2, s3);
            TensorPrimitives.Add(s1, T.One, s1);
            TensorPrimitives.Multiply(x, C<T>(0.5), s2);
            TensorPrimitives.Multiply(s2, s1, y);
        }
    }

    private readonly struct BackwardBlock<T>() : IBinaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            TensorPrimitives.Multiply(saved, saved, s1);                // x²
            TensorPrimitives.Multiply(s1, saved, s2);                   // x³
            TensorPrimitives.Multiply(s2, C<T>(0.044715), s2);
            TensorPrimitives.Add(saved, s2, s2);
            TensorPrimitives.Multiply(s2, C<T>(0.7978845608028654), s2);
            BlockMath.Tanh<T>(s2, s2, s1, s3);                          // t
            TensorPrimitives.Multiply(saved, saved, s1);                // x² again (s1 was scratch)
            TensorPrimitives.Multiply(s1, C<T>(3 * 0.044715), s1);
            TensorPrimitives.Add(s1, T.One, s1);
            TensorPrimitives.Multiply(s1, C<T>(0.7978845608028654), s1); // inner derivative
            TensorPrimitives.Multiply(s2, s2, s3);
            TensorPrimitives.Subtract(T.One, s3, s3);                   // 1 - t²
            TensorPrimitives.Add(s2, T.One, s2);
            TensorPrimitives.Multiply(s2, C<T>(0.5), s2);               // left derivative
            TensorPrimitives.Multiply(saved, s3, s3);
            TensorPrimitives.Multiply(s3, C<T>(0.5), s3);               // left·(1 - t²), as ·0.5 is exact
            TensorPrimitives.Multiply(s3, s1, s3);                      // right derivative
            TensorPrimitives.Add(s2, s3, s2);
            TensorPrimitives.Multiply(g, s2, dx);
        }
    }
}
