using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Hyperbolic tangent; PyTorch <c>nn.Tanh</c> / <c>torch.tanh</c>. Range (−1, 1) (width 2). Derivative 1 − tanh²x,
/// taken from the output y. tanh'(0) = 1.
/// </summary>
public sealed class Tanh : ElementwiseActivation
{
    /// <summary>Creates the module.</summary>
    public Tanh()
        : base(nameof(Tanh))
    {
    }

    /// <inheritdoc />
    public override double Value(double x) => Math.Tanh(x);

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        double t = Math.Tanh(x);
        return 1 - (t * t);
    }

    /// <inheritdoc />
    public override bool BackwardUsesOutput => true;

    internal override void KernelForward<T>(ReadOnlySpan<T> x, Span<T> y) => ElementwiseKernel.Forward(x, y, default(TanhOperator));

    internal override void KernelBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx) => ElementwiseKernel.Backward(g, saved, dx, default(TanhOperator));

    internal override Tensor ComposedForward(Tensor x) => x.tanh();

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => g.mul(Compose.OneMinus(saved.mul(saved)));
}
