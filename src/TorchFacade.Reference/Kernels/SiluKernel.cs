using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using static TorchFacade.Reference.Kernels.BlockMath;

namespace TorchFacade.Reference.Kernels;

/// <summary>Managed SiLU kernel (LibTorch CPU form y = x/(1 + exp(−x)); backward recomputes σ from x).</summary>
public static class SiluKernel
{
    /// <summary>Forward: y = x / (1 + exp(−x)).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/> itself).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Unary(x, y, new ForwardBlock<T>());

    /// <summary>Backward: dx = (g·σ)·(1 + x·(1 − σ)), σ = 1/(1 + exp(−x)) from the saved input x.</summary>
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
            int done = FusedOps.Map(x, y, new FusedForward());
            x = x[done..];
            y = y[done..];
            s1 = s1[done..];
            s2 = s2[done..];
            s3 = s3[done..];
            TensorPrimitives.Negate(x, s1);
            BlockMath.Exp<T>(s1, s1);
            TensorPrimitives.Add(s1, T.One, s1);
            TensorPrimitives.Divide(x, s1, y);
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
            TensorPrimitives.Negate(saved, s1);
            BlockMath.Exp<T>(s1, s1);
            TensorPrimitives.Add(s1, T.One, s1);
            TensorPrimitives.Divide(T.One, s1, s1);
            TensorPrimitives.Subtract(T.One, s1, s2);
            TensorPrimitives.Multiply(saved, s2, s2);
            TensorPrimitives.Add(s2, T.One, s2);
            TensorPrimitives.Multiply(g, s1, s1);
            TensorPrimitives.Multiply(s1, s2, dx);
        }
    }

    private readonly struct FusedForward : IFusedUnary
    {
        public Vector256<double> Apply(Vector256<double> x) => x / (Vector256<double>.One + Vector256.Exp(-x));
    }

    private readonly struct FusedBackward : IFusedBinary
    {
        public Vector256<double> Apply(Vector256<double> g, Vector256<double> x)
        {
            var s = FusedOps.Sigmoid(x);
            return g * s * (Vector256<double>.One + (x * (Vector256<double>.One - s)));
        }
    }
}
