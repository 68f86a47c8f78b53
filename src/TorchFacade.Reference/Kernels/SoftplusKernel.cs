using System.Numerics;
using System.Numerics.Tensors;
using static TorchFacade.Reference.Kernels.BlockMath;

namespace TorchFacade.Reference.Kernels;

/// <summary>Managed softplus kernel (LibTorch: linear where β·x &gt; threshold, strictly; log1p(exp(β·x))/β elsewhere).</summary>
public static class SoftplusKernel
{
    /// <summary>Forward: y = β·x &gt; threshold ? x : log1p(exp(β·x))/β.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/> itself).</param>
    /// <param name="beta">β (default 1).</param>
    /// <param name="threshold">Above β·x &gt; threshold the function is linear (default 20; the test is strict).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double beta, double threshold)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Unary(x, y, new ForwardBlock<T>(C<T>(beta), C<T>(threshold)));

    /// <summary>Backward: z = exp(β·x); dx = β·x &gt; threshold ? g : g·z/(z + 1), from the saved input x.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="input">The tensor the backward reads (see the summary).</param>
    /// <param name="gradInput">The gradient with respect to the input (same length).</param>
    /// <param name="beta">β (default 1).</param>
    /// <param name="threshold">Above β·x &gt; threshold the function is linear (default 20; the test is strict).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> input, Span<T> gradInput, double beta, double threshold)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Binary(gradOutput, input, gradInput, new BackwardBlock<T>(C<T>(beta), C<T>(threshold)));

    private readonly struct ForwardBlock<T>(T beta, T threshold) : IUnaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> x, Span<T> y, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            TensorPrimitives.Multiply(x, beta, s1);
            BlockMath.Exp<T>(s1, s2);
            Log1P<T>(s2, s2, s1, s3);
            TensorPrimitives.Divide(s2, beta, s2);
            TensorPrimitives.Multiply(x, beta, s1);
            WhereGreater(s1, threshold, x, s2, y);
        }
    }

    private readonly struct BackwardBlock<T>(T beta, T threshold) : IBinaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            TensorPrimitives.Multiply(saved, beta, s1);
            BlockMath.Exp<T>(s1, s2);
            TensorPrimitives.Add(s2, T.One, s3);
            TensorPrimitives.Multiply(g, s2, s2);
            TensorPrimitives.Divide(s2, s3, s2);
            WhereGreater(s1, threshold, g, s2, dx);
        }
    }
}
