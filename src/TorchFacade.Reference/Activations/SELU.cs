using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Scaled ELU, λ·(x &gt; 0 ? x : α(eˣ − 1)); PyTorch <c>nn.SELU</c>, with α = 1.6732632423543772848170429916717 and
/// λ = 1.0507009873554804934193349852946. At 0 LibTorch takes the negative branch: <b>selu'(0) = λα ≈ 1.7581</b>.
/// </summary>
public sealed class SELU() : ElementwiseActivation(nameof(SELU))
{
    /// <summary>α of SELU.</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    /// <summary>λ (scale) of SELU.</summary>
    public const double Scale = 1.0507009873554804934193349852946;

    /// <inheritdoc />
    public override double Value(double x) => x > 0 ? Scale * x : Scale * Alpha * ExpM1(x);

    /// <inheritdoc />
    public override double Derivative(double x) => x > 0 ? Scale : Scale * Alpha * Math.Exp(x);

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(new EluOperator(RoundTo<T>(RoundTo<T>(Alpha) * RoundTo<T>(Scale)), RoundTo<T>(Scale)));

    internal override Tensor ComposedForward(Tensor x) => where(x.le(0), x.exp().sub(1).mul(Alpha * Scale), x.mul(Scale));

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => where(saved.gt(0), g.mul(Scale), g.mul(Alpha * Scale).mul(saved.exp()));
}
