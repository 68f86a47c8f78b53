using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// x·tanh(x) (not a LibTorch op; not Mish, and not what "scaled tanh" a·tanh(b·x) usually means). Even, ≥ 0;
/// derivative tanh x + x(1 − tanh² x), 0 at 0.
/// </summary>
public sealed class XTanh() : ElementwiseActivation(nameof(XTanh))
{
    /// <inheritdoc />
    public override double Value(double x) => x * Math.Tanh(x);

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        double t = Math.Tanh(x);
        return t + (x * (1 - (t * t)));
    }

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(default(XTanhOperator));

    internal override Tensor ComposedForward(Tensor x) => x.mul(x.tanh());

    internal override Tensor ComposedBackward(Tensor g, Tensor saved)
    {
        var t = saved.tanh();
        return g.mul(t.add(saved.mul(Compose.OneMinus(t.mul(t)))));
    }
}
