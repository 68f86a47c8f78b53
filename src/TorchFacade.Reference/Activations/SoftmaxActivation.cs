using TorchFacade.Reference.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// What <see cref="Softmax"/> and <see cref="LogSoftmax"/> share: the checks, the span kernel on CPU float32/float64
/// and the composed tensor-op path elsewhere, both saving the output for backward.
/// </summary>
internal sealed class SoftmaxActivation : IDimActivation
{
    /// <summary>softmax: y = exp(x − max)·(1/Σ exp(x − max)); dx = y ⊙ (g − Σ g ⊙ y).</summary>
    public static readonly SoftmaxActivation Softmax = new(nameof(Activations.Softmax), log: false);

    /// <summary>log-softmax: y = (x − max) − log Σ exp(x − max); dx = g − exp(y)·Σ g.</summary>
    public static readonly SoftmaxActivation LogSoftmax = new(nameof(Activations.LogSoftmax), log: true);

    private readonly string name;
    private readonly bool log;

    private SoftmaxActivation(string name, bool log)
    {
        this.name = name;
        this.log = log;
    }

    public bool SavesOutput => true;

    /// <summary>The module's forward: checks <paramref name="input"/> and <paramref name="dim"/>, then applies the activation.</summary>
    public Tensor Apply(Tensor input, long dim, nn.Module owner)
    {
        TensorBridge.ValidateInput(input, name, owner);
        return DimFunction.Run(input, this, TensorBridge.NormalizeDim(dim, input.dim(), name));
    }

    public Tensor ForwardTensor(Tensor x, int dim)
    {
        if (TensorBridge.UsesKernel(x))
        {
            var layout = ReductionLayout.Of(x.shape, dim);
            return log
                ? TensorBridge.RunUnary(x, (a, y) => SoftmaxKernel.LogForward(a, y, layout), (a, y) => SoftmaxKernel.LogForward(a, y, layout))
                : TensorBridge.RunUnary(x, (a, y) => SoftmaxKernel.Forward(a, y, layout), (a, y) => SoftmaxKernel.Forward(a, y, layout));
        }

        return TensorBridge.Composed(x, t =>
        {
            var shifted = t.sub(t.amax([dim], keepdim: true));
            if (log)
            {
                return shifted.sub(shifted.exp().sum(dim, keepdim: true).log());
            }

            var e = shifted.exp();
            return e.mul(e.sum(dim, keepdim: true).reciprocal());
        });
    }

    public Tensor BackwardTensor(Tensor g, Tensor saved, int dim)
    {
        if (TensorBridge.UsesKernelBackward(saved))
        {
            var layout = ReductionLayout.Of(saved.shape, dim);
            return log
                ? TensorBridge.RunBinary(g, saved, (a, b, d) => SoftmaxKernel.LogBackward(a, b, d, layout), (a, b, d) => SoftmaxKernel.LogBackward(a, b, d, layout))
                : TensorBridge.RunBinary(g, saved, (a, b, d) => SoftmaxKernel.Backward(a, b, d, layout), (a, b, d) => SoftmaxKernel.Backward(a, b, d, layout));
        }

        return log
            ? TensorBridge.Composed(g, saved, (gg, y) => gg.sub(y.exp().mul(gg.sum(dim, keepdim: true))))
            : TensorBridge.Composed(g, saved, (gg, y) => gg.sub(gg.mul(y).sum(dim, keepdim: true)).mul(y));
    }
}
