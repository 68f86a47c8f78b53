using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Leaky ReLU, x &gt; 0 ? x : s·x; PyTorch <c>nn.LeakyReLU(negative_slope=0.01)</c>. The test is strict, so the
/// derivative at 0 is the slope s.
/// </summary>
/// <param name="negativeSlope">The slope for x ≤ 0 (PyTorch's default 0.01); an <see cref="ArgumentException"/> when it is NaN or infinite.</param>
public sealed class LeakyReLU(double negativeSlope = 0.01) : ElementwiseActivation(nameof(LeakyReLU))
{
    /// <summary>The slope for x ≤ 0.</summary>
    public double NegativeSlope { get; } = Finite(negativeSlope, "LeakyReLU's negative slope");

    /// <inheritdoc />
    public override double Value(double x) => x > 0 ? x : x * NegativeSlope;

    /// <inheritdoc />
    public override double Derivative(double x) => x > 0 ? 1 : NegativeSlope;

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(new LeakyReluOperator(RoundTo<T>(NegativeSlope)));

    internal override Tensor ComposedForward(Tensor x) => where(x.gt(0), x, x.mul(NegativeSlope));

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => where(saved.gt(0), g, g.mul(NegativeSlope));
}
