using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Sigmoid, σ(x) = 1/(1 + e^(−x)); PyTorch <c>nn.Sigmoid</c> / <c>torch.sigmoid</c>. Derivative σ(1 − σ), which the
/// backward takes from the output y (so it is exactly 0 where y saturated to 0 or 1). σ'(0) = 0.25.
/// </summary>
public sealed class Sigmoid() : ElementwiseActivation(nameof(Sigmoid))
{
    /// <inheritdoc />
    public override bool BackwardUsesOutput => true;

    /// <inheritdoc />
    public override double Value(double x) => Sigma(x);

    /// <inheritdoc />
    public override double Derivative(double x) => Sigma(x) * (1 - Sigma(x));

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(default(SigmoidOperator));

    internal override Tensor ComposedForward(Tensor x) => Compose.Sigmoid(x);

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => g.mul(saved.mul(Compose.OneMinus(saved)));
}
