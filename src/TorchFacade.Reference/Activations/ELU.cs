using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Exponential linear unit, x &gt; 0 ? x : α(eˣ − 1); PyTorch <c>nn.ELU(alpha=1.0)</c>. At 0 the x ≤ 0 branch is
/// taken, so elu'(0) = α. Like LibTorch's CPU kernel the managed kernel computes exp(x) − 1, not expm1.
/// </summary>
/// <param name="alpha">α (PyTorch's default 1.0); an <see cref="ArgumentException"/> when it is NaN or infinite.</param>
public sealed class ELU(double alpha = 1.0) : ElementwiseActivation(nameof(ELU))
{
    /// <summary>α.</summary>
    public double Alpha { get; } = Finite(alpha, "ELU's alpha");

    /// <inheritdoc />
    public override double Value(double x) => x > 0 ? x : Alpha * ExpM1(x);

    /// <inheritdoc />
    public override double Derivative(double x) => x > 0 ? 1 : Alpha * Math.Exp(x);

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(new EluOperator(RoundTo<T>(RoundTo<T>(Alpha) * RoundTo<T>(1.0)), 1.0));

    internal override Tensor ComposedForward(Tensor x) => where(x.le(0), x.exp().sub(1).mul(Alpha), x);

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => where(saved.gt(0), g, g.mul(Alpha).mul(saved.exp()));
}
