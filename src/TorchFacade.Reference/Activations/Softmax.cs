using TorchFacade.Reference.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Softmax along <see cref="Dim"/>; PyTorch <c>nn.Softmax(dim)</c>. y = exp(x − max)·(1/Σ exp(x − max)); backward
/// from the output: dx = y ⊙ (g − Σ g ⊙ y). A slice that is all −∞ gives NaN, as in LibTorch.
/// </summary>
public sealed class Softmax : nn.Module<Tensor, Tensor>, IDimActivation
{
    /// <summary>Creates the module.</summary>
    /// <param name="dim">The dimension to normalise over (negative counts from the end). Always pass it explicitly.</param>
    public Softmax(long dim)
        : base(nameof(Softmax)) => Dim = dim;

    /// <summary>The dimension normalised over.</summary>
    public long Dim { get; }

    bool IDimActivation.SavesOutput => true;

    /// <summary>Applies softmax along <see cref="Dim"/>.</summary>
    /// <param name="input">A floating-point tensor.</param>
    /// <returns>A new tensor of the same shape, each slice along <see cref="Dim"/> summing to 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not floating-point.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Dim"/> is not a dimension of <paramref name="input"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        TensorBridge.ValidateInput(input, nameof(Softmax), this);
        int dim = TensorBridge.NormalizeDim(Dim, input.dim(), nameof(Softmax));
        return DimFunction.apply(input, this, dim);
    }

    Tensor IDimActivation.ForwardTensor(Tensor x, int dim)
    {
        if (TensorBridge.UsesKernel(x))
        {
            var layout = ReductionLayout.Of(x.shape, dim);
            return TensorBridge.RunUnary(x, (a, y) => SoftmaxKernel.Forward(a, y, layout), (a, y) => SoftmaxKernel.Forward(a, y, layout));
        }

        return TensorBridge.Composed(x, t =>
        {
            var e = t.sub(t.amax([dim], keepdim: true)).exp();
            return e.mul(e.sum(dim, keepdim: true).reciprocal());
        });
    }

    Tensor IDimActivation.BackwardTensor(Tensor g, Tensor saved, int dim)
    {
        if (TensorBridge.UsesKernelBackward(saved))
        {
            var layout = ReductionLayout.Of(saved.shape, dim);
            return TensorBridge.RunBinary(g, saved, (a, b, d) => SoftmaxKernel.Backward(a, b, d, layout), (a, b, d) => SoftmaxKernel.Backward(a, b, d, layout));
        }

        return TensorBridge.Composed(g, saved, (gg, y) => gg.sub(gg.mul(y).sum(dim, keepdim: true)).mul(y));
    }
}
