using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Sigmoid linear unit x·σ(x) (Swish-1); PyTorch <c>nn.SiLU</c> / <c>F.silu</c>. Range ≈ [−0.2785, ∞) (not (0, 1));
/// SiLU'(0) = 0.5; derivative σ(x)(1 + x(1 − σ(x))) with σ recomputed from x.
/// </summary>
public sealed class SiLU() : ElementwiseActivation(nameof(SiLU))
{
    /// <inheritdoc />
    public override double Value(double x) => x * Sigma(x);

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        double s = Sigma(x);
        return s * (1 + (x * (1 - s)));
    }

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(new SwishOperator(1.0));

    internal override Tensor ComposedForward(Tensor x) => x.div(x.neg().exp().add(1));

    internal override Tensor ComposedBackward(Tensor g, Tensor saved)
    {
        var s = Compose.Sigmoid(saved);
        return g.mul(s).mul(saved.mul(Compose.OneMinus(s)).add(1));
    }
}
