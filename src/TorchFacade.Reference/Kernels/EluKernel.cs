using System.Numerics;
using System.Numerics.Tensors;
using static TorchFacade.Reference.Kernels.BlockMath;

namespace TorchFacade.Reference.Kernels;

/// <summary>Managed ELU/SELU kernel (LibTorch elu(x, α, scale, input_scale = 1): exp(x) − 1 rather than expm1, and the x ≤ 0 branch at 0).</summary>
public static class EluKernel
{
    /// <summary>Forward: y = x &lt;= 0 ? (exp(x) − 1)·(α·scale) : x·scale.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="y">The output (same length; may be <paramref name="x"/> itself).</param>
    /// <param name="alpha">α, the negative-side coefficient (ELU: 1; SELU: 1.6732632423543772).</param>
    /// <param name="scale">The overall scale (ELU: 1; SELU: 1.0507009873554805).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double alpha, double scale)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Unary(x, y, new ForwardBlock<T>(C<T>(alpha) * C<T>(scale), C<T>(scale)));

    /// <summary>Backward: dx = x &gt; 0 ? g·scale : g·(α·scale)·exp(x), from the saved input x (so elu'(0) = α·scale, and NaN stays NaN).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="input">The tensor the backward reads (see the summary).</param>
    /// <param name="gradInput">The gradient with respect to the input (same length).</param>
    /// <param name="alpha">α, the negative-side coefficient (ELU: 1; SELU: 1.6732632423543772).</param>
    /// <param name="scale">The overall scale (ELU: 1; SELU: 1.0507009873554805).</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> input, Span<T> gradInput, double alpha, double scale)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelLoop.Binary(gradOutput, input, gradInput, new BackwardBlock<T>(C<T>(alpha) * C<T>(scale), C<T>(scale)));

    private readonly struct ForwardBlock<T>(T negcoef, T poscoef) : IUnaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> x, Span<T> y, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            BlockMath.Exp<T>(x, s1);
            TensorPrimitives.Subtract(s1, T.One, s1);
            TensorPrimitives.Multiply(s1, negcoef, s1);
            TensorPrimitives.Multiply(x, poscoef, s2);
            WhereLessOrEqual(x, T.Zero, s1, s2, y);
        }
    }

    private readonly struct BackwardBlock<T>(T negcoef, T poscoef) : IBinaryBlock<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3)
        {
            BlockMath.Exp<T>(saved, s1);
            TensorPrimitives.Multiply(g, negcoef, s2);
            TensorPrimitives.Multiply(s2, s1, s1);
            TensorPrimitives.Multiply(g, poscoef, s2);
            WhereGreater(saved, T.Zero, s2, s1, dx);   // like LibTorch: NaN takes the x <= 0 branch (NaN)
        }
    }
}
