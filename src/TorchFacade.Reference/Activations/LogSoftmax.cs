using TorchFacade.Reference.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Log-softmax along <see cref="Dim"/>; PyTorch <c>nn.LogSoftmax(dim)</c>. y = (x − max) − log Σ exp(x − max); backward
/// from the output: dx = g − exp(y)·Σ g.
/// </summary>
public sealed class LogSoftmax : nn.Module<Tensor, Tensor>, IDimActivation
{
    /// <summary>Creates the module.</summary>
    /// <param name="dim">The dimension to normalise over (negative counts from the end).</param>
    public LogSoftmax(long dim)
        : base(nameof(LogSoftmax)) => Dim = dim;

    /// <summary>The dimension normalised over.</summary>
    public long Dim { get; }

    bool IDimActivation.SavesOutput => true;

    /// <summary>Applies log-softmax along <see cref="Dim"/>.</summary>
    /// <param name="input">A floating-point tensor.</param>
    /// <returns>A new tensor of the same shape.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not floating-point.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Dim"/> is not a dimension of <paramref name="input"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        TensorBridge.ValidateInput(input, nameof(LogSoftmax), this);
        int dim = TensorBridge.NormalizeDim(Dim, input.dim(), nameof(LogSoftmax));
        return DimFunction.apply(input, this, dim);
    }

    Tensor IDimActivation.ForwardTensor(Tensor x, int dim)
    {
        if (TensorBridge.UsesKernel(x))
        {
            var layout = ReductionLayout.Of(x.shape, dim);
            return TensorBridge.RunUnary(x, (a, y) => SoftmaxKernel.LogForward(a, y, layout), (a, y) => SoftmaxKernel.LogForward(a, y, layout));
        }

        return TensorBridge.Composed(x, t =>
        {
            var shifted = t.sub(t.amax([dim], keepdim: true));
            return shifted.sub(shifted.exp().sum(dim, keepdim: true).log());
        });
    }

    Tensor IDimActivation.BackwardTensor(Tensor g, Tensor saved, int dim)
    {
        if (TensorBridge.UsesKernelBackward(saved))
        {
            var layout = ReductionLayout.Of(saved.shape, dim);
            return TensorBridge.RunBinary(g, saved, (a, b, d) => SoftmaxKernel.LogBackward(a, b, d, layout), (a, b, d) => SoftmaxKernel.LogBackward(a, b, d, layout));
        }

        return TensorBridge.Composed(g, saved, (gg, y) => gg.sub(y.exp().mul(gg.sum(dim, keepdim: true))));
    }
}
