using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Sigmoid linear unit x·σ(x) (Swish-1); PyTorch <c>nn.SiLU</c> / <c>F.silu</c>. Range ≈ [−0.2785, ∞) (not (0, 1));
/// SiLU'(0) = 0.5; derivative σ(x)(1 + x(1 − σ(x))) with σ recomputed from x.
/// </summary>
public sealed class SiLU : ElementwiseActivation
{
    /// <summary>Creates the module.</summary>
    public SiLU()
        : base(nameof(SiLU))
    {
    }

    /// <inheritdoc />
    public override double Value(double x) => x * Sigma(x);

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        double s = Sigma(x);
        return s * (1 + (x * (1 - s)));
    }

    internal override void KernelForward<T>(ReadOnlySpan<T> x, Span<T> y) => ElementwiseKernel.Forward(x, y, new SwishOperator(1.0));

    internal override void KernelBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx) => ElementwiseKernel.Backward(g, saved, dx, new SwishOperator(1.0));

    internal override Tensor ComposedForward(Tensor x) => x.div(x.neg().exp().add(1));

    internal override Tensor ComposedBackward(Tensor g, Tensor saved)
    {
        var s = Compose.Sigmoid(saved);
        return g.mul(s).mul(saved.mul(Compose.OneMinus(s)).add(1));
    }
}
