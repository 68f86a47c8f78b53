using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Hyperbolic tangent; PyTorch <c>nn.Tanh</c> / <c>torch.tanh</c>. Range (−1, 1) (width 2). Derivative 1 − tanh²x,
/// taken from the output y. tanh'(0) = 1.
/// </summary>
public sealed class Tanh() : ElementwiseActivation(nameof(Tanh))
{
    /// <inheritdoc />
    public override bool BackwardUsesOutput => true;

    /// <inheritdoc />
    public override double Value(double x) => Math.Tanh(x);

    /// <inheritdoc />
    public override double Derivative(double x) => 1 - (Math.Tanh(x) * Math.Tanh(x));

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(default(TanhOperator));

    internal override Tensor ComposedForward(Tensor x) => x.tanh();

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => g.mul(Compose.OneMinus(saved.mul(saved)));
}
