using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// The custom autograd function behind every <see cref="ElementwiseActivation"/>: forward runs the module's kernel
/// (or composition) with autograd off, saves x or y, and backward applies the module's analytic derivative.
/// Arguments: (Tensor input, ElementwiseActivation module).
/// </summary>
internal sealed class ElementwiseFunction : autograd.SingleTensorFunction<ElementwiseFunction>
{
    private const string ModuleKey = "module";

    /// <inheritdoc />
    public override string Name => "ReferenceActivationBackward";

    /// <inheritdoc />
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var module = (ElementwiseActivation)vars[1];
        Tensor y = module.ForwardTensor(x);
        ctx.save_data(ModuleKey, module);

        // Save a detached alias of the output so the graph node does not keep its own output alive (no cycle).
        ctx.save_for_backward([module.BackwardUsesOutput ? y.detach() : x]);
        return y;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var module = (ElementwiseActivation)ctx.get_data(ModuleKey);
        Tensor saved = ctx.get_saved_variables()[0];
        return [module.BackwardTensor(grad_output, saved), null!];
    }
}
