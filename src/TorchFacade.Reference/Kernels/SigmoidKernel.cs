using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using static TorchFacade.Reference.Kernels.BlockMath;

namespace TorchFacade.Reference.Kernels;

/// <summary>Managed sigmoid kernel (LibTorch order: y = 1/(1 + exp(−x)); backward from the output y).</summary>
public static class SigmoidKernel
{
    /// <summary>Forward: y = 1 / (1 + exp(−x)).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/> itself).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Unary(x, y, new ForwardBlock<T>());

    /// <summary>Backward: dx = g·(y·(1 − y)), from the saved output y.</summary>
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
            int done = FusedOps.Map(x, y, new FusedForward());
            x = x[done..];
            y = y[done..];
            s1 = s1[done..];
            s2 = s2[done..];
            s3 = s3[done..];
            TensorPrimitives.Negate(x, s1);
            BlockMath.Exp<T>(s1, s1);
            TensorPrimitives.Add(s1, T.One, s1);
            TensorPrimitives.Divide(T.One, s1, y);
        }
    }

    private readonly struct BackwardBlock<T>() : IBinaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            int done = FusedOps.Map(g, saved, dx, new FusedBackward());
            g = g[done..];
            saved = saved[done..];
            dx = dx[done..];
            s1 = s1[done..];
            s2 = s2[done..];
            s3 = s3[done..];
            TensorPrimitives.Subtract(T.One, saved, s1);
            TensorPrimitives.Multiply(saved, s1, s1);
            TensorPrimitives.Multiply(g, s1, dx);
        }
    }

    private readonly struct FusedForward : IFusedUnary
    {
        public Vector256<double> Apply(Vector256<double> x) => FusedOps.Sigmoid(x);
    }

    private readonly struct FusedBackward : IFusedBinary
    {
        public Vector256<double> Apply(Vector256<double> g, Vector256<double> y) => g * (y * (Vector256<double>.One - y));
    }
}
