using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Swish_β(x) = x·σ(βx) (β = 1 is <see cref="SiLU"/>; not a LibTorch op). Derivative σ(βx)(1 + βx(1 − σ(βx))), whose
/// range ≈ [−0.0998, 1.0998] does not depend on β; Swish'(0) = 0.5 for every β.
/// </summary>
/// <param name="beta">β (1 gives SiLU); an <see cref="ArgumentException"/> when it is NaN or infinite.</param>
public sealed class Swish(double beta = 1.0) : ElementwiseActivation(nameof(Swish))
{
    /// <summary>β.</summary>
    public double Beta { get; } = Finite(beta, "Swish's beta");

    /// <inheritdoc />
    public override double Value(double x) => x * Sigma(Beta * x);

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        double s = Sigma(Beta * x);
        return s * (1 + (Beta * x * (1 - s)));
    }

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(new SwishOperator(RoundTo<T>(Beta)));

    internal override Tensor ComposedForward(Tensor x) => x.div(x.mul(-Beta).exp().add(1));

    internal override Tensor ComposedBackward(Tensor g, Tensor saved)
    {
        var bx = saved.mul(Beta);
        var s = Compose.Sigmoid(bx);
        return g.mul(s).mul(bx.mul(Compose.OneMinus(s)).add(1));
    }
}
