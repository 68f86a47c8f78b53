using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// x·sin(x) (not a LibTorch op, and not SiLU). Even, unbounded, oscillating; derivative sin x + x·cos x, 0 at 0.
/// </summary>
public sealed class XSin() : ElementwiseActivation(nameof(XSin))
{
    /// <inheritdoc />
    public override double Value(double x) => x * Math.Sin(x);

    /// <inheritdoc />
    public override double Derivative(double x) => Math.Sin(x) + (x * Math.Cos(x));

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(default(XSinOperator));

    internal override Tensor ComposedForward(Tensor x) => x.mul(x.sin());

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => g.mul(saved.sin().add(saved.mul(saved.cos())));
}
