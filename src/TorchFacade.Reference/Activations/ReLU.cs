using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Rectified linear unit, max(0, x); PyTorch <c>nn.ReLU</c> / <c>torch.relu</c> (= clamp_min(x, 0)). The backward is
/// threshold_backward on the output: <b>relu'(0) = 0</b> (unlike clamp_min's autograd, which gives 1 at 0). NaN
/// passes through.
/// </summary>
public sealed class ReLU() : ElementwiseActivation(nameof(ReLU))
{
    /// <inheritdoc />
    public override bool BackwardUsesOutput => true;

    /// <inheritdoc />
    public override double Value(double x) => double.IsNaN(x) ? x : (x <= 0 ? 0 : x);

    /// <inheritdoc />
    public override double Derivative(double x) => x > 0 ? 1 : 0;

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(default(ReluOperator));

    internal override Tensor ComposedForward(Tensor x) => x.masked_fill(x.le(0), 0);

    internal override Tensor ComposedBackward(Tensor g, Tensor saved) => g.masked_fill(saved.le(0), 0);
}
