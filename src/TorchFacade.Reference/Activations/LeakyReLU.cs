using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Leaky ReLU, x &gt; 0 ? x : s·x; PyTorch <c>nn.LeakyReLU(negative_slope=0.01)</c>. The test is strict, so the
/// derivative at 0 is the slope s.
/// </summary>
public sealed class LeakyReLU : ElementwiseActivation
{
    /// <summary>Creates the module.</summary>
    /// <param name="negativeSlope">The slope for x ≤ 0 (PyTorch's default 0.01).</param>
    /// <exception cref="ArgumentException"><paramref name="negativeSlope"/> is NaN or infinite.</exception>
    public LeakyReLU(double negativeSlope = 0.01)
        : base(nameof(LeakyReLU))
    {
        if (!double.IsFinite(negativeSlope))
        {
            throw new ArgumentException($"LeakyReLU's negative slope must be finite, got {negativeSlope}.");
        }

        NegativeSlope = negativeSlope;
    }

    /// <summary>The slope for x ≤ 0.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc />
    public override double Value(double x) => x > 0 ? x : x * NegativeSlope;

    /// <inheritdoc />
    public override double Derivative(double x) => x > 0 ? 1 : NegativeSlope;

    internal override void KernelForward<T>(ReadOnlySpan<T> x, Span<T> y) => ElementwiseKernel.Forward(x, y, new LeakyReluOperator(ElementwiseKernel.RoundTo<T>(NegativeSlope)));

    internal override void KernelBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx) => ElementwiseKernel.Backward(g, saved, dx, new LeakyReluOperator(ElementwiseKernel.RoundTo<T>(NegativeSlope)));

    internal override Tensor ComposedForward(Tensor x) => where(x.gt(0), x, x.mul(NegativeSlope));

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => where(saved.gt(0), g, g.mul(NegativeSlope));
}
