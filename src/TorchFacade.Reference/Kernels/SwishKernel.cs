using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using static TorchFacade.Reference.Kernels.BlockMath;

namespace TorchFacade.Reference.Kernels;

/// <summary>Managed Swish_β kernel: x·σ(βx) (β = 1 is SiLU; not a LibTorch op).</summary>
public static class SwishKernel
{
    /// <summary>Forward: y = x·σ(βx), σ(u) = 1/(1 + exp(−u)).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/> itself).</param>
    /// <param name="beta">β.</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double beta)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Unary(x, y, new ForwardBlock<T>(C<T>(beta)));

    /// <summary>Backward: dx = g·σ(βx)·(1 + βx·(1 − σ(βx))), from the saved input x.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="input">The tensor the backward reads (see the summary).</param>
    /// <param name="gradInput">The gradient with respect to the input (same length).</param>
    /// <param name="beta">β.</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> input, Span<T> gradInput, double beta)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Binary(gradOutput, input, gradInput, new BackwardBlock<T>(C<T>(beta)));

    private readonly struct ForwardBlock<T>(T beta) : IUnaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> x, Span<T> y, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            int done = FusedOps.Map(x, y, new FusedForward(double.CreateTruncating(beta)));
            x = x[done..];
            y = y[done..];
            s1 = s1[done..];
            s2 = s2[done..];
            s3 = s3[done..];
            TensorPrimitives.Multiply(x, -beta, s1);
            BlockMath.Exp<T>(s1, s1);
            TensorPrimitives.Add(s1, T.One, s1);
            TensorPrimitives.Divide(x, s1, y);
        }
    }

    private readonly struct BackwardBlock<T>(T beta) : IBinaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            int done = FusedOps.Map(g, saved, dx, new FusedBackward(double.CreateTruncating(beta)));
            g = g[done..];
            saved = saved[done..];
            dx = dx[done..];
            s1 = s1[done..];
            s2 = s2[done..];
            s3 = s3[done..];
            TensorPrimitives.Multiply(saved, beta, s3);
            TensorPrimitives.Negate(s3, s1);
            BlockMath.Exp<T>(s1, s1);
            TensorPrimitives.Add(s1, T.One, s1);
            TensorPrimitives.Divide(T.One, s1, s1);
            TensorPrimitives.Subtract(T.One, s1, s2);
            TensorPrimitives.Multiply(s3, s2, s2);
            TensorPrimitives.Add(s2, T.One, s2);
            TensorPrimitives.Multiply(g, s1, s1);
            TensorPrimitives.Multiply(s1, s2, dx);
        }
    }

    private readonly struct FusedForward(double beta) : IFusedUnary
    {
        public Vector256<double> Apply(Vector256<double> x) => x / (Vector256<double>.One + Vector256.Exp(x * Vector256.Create(-beta)));
    }

    private readonly struct FusedBackward(double beta) : IFusedBinary
    {
        public Vector256<double> Apply(Vector256<double> g, Vector256<double> x)
        {
            var bx = x * Vector256.Create(beta);
            var s = FusedOps.Sigmoid(bx);
            return g * s * (Vector256<double>.One + (bx * (Vector256<double>.One - s)));
        }
    }
}
