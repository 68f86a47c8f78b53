using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
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
            int done = FusedOps.Map(x, y, new FusedForward(double.CreateTruncating(slope)));
            x = x[done..];
            y = y[done..];
            s1 = s1[done..];
            s2 = s2[done..];
            s3 = s3[done..];
            TensorPrimitives.Multiply(x, slope, s1);
            WhereGreater(x, T.Zero, x, s1, y);
        }
    }

    private readonly struct BackwardBlock<T>(T slope) : IBinaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            int done = FusedOps.Map(g, saved, dx, new FusedBackward(double.CreateTruncating(slope)));
            g = g[done..];
            saved = saved[done..];
            dx = dx[done..];
            s1 = s1[done..];
            s2 = s2[done..];
            s3 = s3[done..];
            TensorPrimitives.Multiply(g, slope, s1);
            WhereGreater(saved, T.Zero, g, s1, dx);
        }
    }

    private readonly struct FusedForward(double slope) : IFusedUnary
    {
        public Vector256<double> Apply(Vector256<double> x) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.Zero), x, x * Vector256.Create(slope));
    }

    private readonly struct FusedBackward(double slope) : IFusedBinary
    {
        public Vector256<double> Apply(Vector256<double> g, Vector256<double> x) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.Zero), g, g * Vector256.Create(slope));
    }
}
