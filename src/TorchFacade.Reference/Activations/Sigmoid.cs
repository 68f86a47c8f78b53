using System.Numerics;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Sigmoid, σ(x) = 1/(1 + e^(−x)); PyTorch <c>nn.Sigmoid</c> / <c>torch.sigmoid</c>. Derivative σ(1 − σ), which the
/// backward takes from the output y (so it is exactly 0 where y saturated to 0 or 1). σ'(0) = 0.25.
/// </summary>
public sealed class Sigmoid : ElementwiseActivation
{
    /// <summary>Creates the module.</summary>
    public Sigmoid()
        : base(nameof(Sigmoid))
    {
    }

    /// <inheritdoc />
    public override double Value(double x) => Sigma(x);

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        double s = Sigma(x);
        return s * (1 - s);
    }

    /// <inheritdoc />
    public override bool BackwardUsesOutput => true;

    internal override void KernelForward<T>(ReadOnlySpan<T> x, Span<T> y) => ElementwiseKernel.Forward(x, y, default(SigmoidOperator));

    internal override void KernelBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx) => ElementwiseKernel.Backward(g, saved, dx, default(SigmoidOperator));

    internal override Tensor ComposedForward(Tensor x) => Compose.Sigmoid(x);

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => g.mul(saved.mul(Compose.OneMinus(saved)));
}
