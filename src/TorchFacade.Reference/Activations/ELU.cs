using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Exponential linear unit, x &gt; 0 ? x : α(eˣ − 1); PyTorch <c>nn.ELU(alpha=1.0)</c>. At 0 the x ≤ 0 branch is
/// taken, so elu'(0) = α. Like LibTorch's CPU kernel the managed kernel computes exp(x) − 1, not expm1.
/// </summary>
public sealed class ELU : ElementwiseActivation
{
    /// <summary>Creates the module.</summary>
    /// <param name="alpha">α (PyTorch's default 1.0).</param>
    /// <exception cref="ArgumentException"><paramref name="alpha"/> is NaN or infinite.</exception>
    public ELU(double alpha = 1.0)
        : base(nameof(ELU))
    {
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentException($"ELU's alpha must be finite, got {alpha}.");
        }

        Alpha = alpha;
    }

    /// <summary>α.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public override double Value(double x) => x > 0 ? x : Alpha * ExpM1(x);

    /// <inheritdoc />
    public override double Derivative(double x) => x > 0 ? 1 : Alpha * Math.Exp(x);

    internal override void KernelForward<T>(ReadOnlySpan<T> x, Span<T> y) => ElementwiseKernel.Forward(x, y, new EluOperator(ElementwiseKernel.RoundTo<T>(ElementwiseKernel.RoundTo<T>(Alpha) * ElementwiseKernel.RoundTo<T>(1.0)), 1.0));

    internal override void KernelBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx) => ElementwiseKernel.Backward(g, saved, dx, new EluOperator(ElementwiseKernel.RoundTo<T>(ElementwiseKernel.RoundTo<T>(Alpha) * ElementwiseKernel.RoundTo<T>(1.0)), 1.0));

    internal override Tensor ComposedForward(Tensor x) => where(x.le(0), x.exp().sub(1).mul(Alpha), x);

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => where(saved.gt(0), g, g.mul(Alpha).mul(saved.exp()));
}
