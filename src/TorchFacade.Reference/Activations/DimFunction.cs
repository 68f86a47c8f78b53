using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>An activation that works along one dimension (softmax, log-softmax, GLU), as its autograd function sees it.</summary>
internal interface IDimActivation
{
    /// <summary>Forward along the normalised dimension; the result is what backward will be given as <c>saved</c> when <see cref="SavesOutput"/>.</summary>
    Tensor ForwardTensor(Tensor x, int dim);

    /// <summary>The input gradient from the incoming gradient and the saved tensor (input or output).</summary>
    Tensor BackwardTensor(Tensor g, Tensor saved, int dim);

    /// <summary>Whether backward reads the output (softmax, log-softmax) rather than the input (GLU).</summary>
    bool SavesOutput { get; }
}

/// <summary>The custom autograd function of the dimension-wise activations. Arguments: (Tensor input, IDimActivation module, int dim).</summary>
internal sealed class DimFunction : autograd.SingleTensorFunction<DimFunction>
{
    /// <inheritdoc />
    public override string Name => "ReferenceDimActivationBackward";

    /// <inheritdoc />
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var module = (IDimActivation)vars[1];
        int dim = (int)vars[2];
        Tensor y = module.ForwardTensor(x, dim);
        ctx.save_data("module", module);
        ctx.save_data("dim", dim);
        ctx.save_for_backward([module.SavesOutput ? y : x]);
        return y;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var module = (IDimActivation)ctx.get_data("module");
        int dim = (int)ctx.get_data("dim");
        Tensor saved = ctx.get_saved_variables()[0];
        return [module.BackwardTensor(grad_output, saved, dim), null!, null!];
    }
}
