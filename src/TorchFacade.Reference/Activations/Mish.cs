using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Mish, x·tanh(softplus(x)); PyTorch <c>nn.Mish</c> (no β, no threshold). Derivative
/// tanh(sp) + x·σ(x)·(1 − tanh²(sp)); mish'(0) = tanh(ln 2) = 0.6 exactly.
/// </summary>
public sealed class Mish() : ElementwiseActivation(nameof(Mish))
{
    /// <inheritdoc />
    public override double Value(double x) => x * Math.Tanh(SoftplusOf(x));

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        double t = Math.Tanh(SoftplusOf(x));
        return t + (x * Sigma(x) * (1 - (t * t)));
    }

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(default(MishOperator));

    internal override Tensor ComposedForward(Tensor x) => x.mul(Compose.LogOnePlusExp(x).tanh());

    internal override Tensor ComposedBackward(Tensor g, Tensor saved)
    {
        var t = Compose.LogOnePlusExp(saved).tanh();
        var s = Compose.Sigmoid(saved);
        return g.mul(t.add(saved.mul(s).mul(Compose.OneMinus(t.mul(t)))));
    }

    private static double SoftplusOf(double x) => x > 30 ? x : Log1P(Math.Exp(x));
}
