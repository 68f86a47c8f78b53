using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Swish_β(x) = x·σ(βx) (β = 1 is <see cref="SiLU"/>; not a LibTorch op). Derivative σ(βx)(1 + βx(1 − σ(βx))), whose
/// range ≈ [−0.0998, 1.0998] does not depend on β; Swish'(0) = 0.5 for every β.
/// </summary>
public sealed class Swish : ElementwiseActivation
{
    /// <summary>Creates the module.</summary>
    /// <param name="beta">β (1 gives SiLU).</param>
    /// <exception cref="ArgumentException"><paramref name="beta"/> is NaN or infinite.</exception>
    public Swish(double beta = 1.0)
        : base(nameof(Swish))
    {
        if (!double.IsFinite(beta))
        {
            throw new ArgumentException($"Swish's beta must be finite, got {beta}.");
        }

        Beta = beta;
    }

    /// <summary>β.</summary>
    public double Beta { get; }

    /// <inheritdoc />
    public override double Value(double x) => x * Sigma(Beta * x);

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        double s = Sigma(Beta * x);
        return s * (1 + (Beta * x * (1 - s)));
    }

    internal override void KernelForward<T>(ReadOnlySpan<T> x, Span<T> y) => ElementwiseKernel.Forward(x, y, new SwishOperator(ElementwiseKernel.RoundTo<T>(Beta)));

    internal override void KernelBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx) => ElementwiseKernel.Backward(g, saved, dx, new SwishOperator(ElementwiseKernel.RoundTo<T>(Beta)));

    internal override Tensor ComposedForward(Tensor x) => x.div(x.mul(-Beta).exp().add(1));

    internal override Tensor ComposedBackward(Tensor g, Tensor saved)
    {
        var bx = saved.mul(Beta);
        var s = Compose.Sigmoid(bx);
        return g.mul(s).mul(bx.mul(Compose.OneMinus(s)).add(1));
    }
}
