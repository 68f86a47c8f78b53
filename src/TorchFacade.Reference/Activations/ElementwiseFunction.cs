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

        // A saved output is kept by LibTorch's SavedVariable without its grad_fn (no cycle) and unpacked with this node as
        // its grad_fn, so a recorded (double) backward that reads y reaches x through this node again.
        ctx.save_for_backward([module.BackwardUsesOutput ? y : x]);
        return y;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var module = (ElementwiseActivation)ctx.get_data(ModuleKey);
        Tensor saved = ctx.get_saved_variables()[0];
        return [TensorBridge.KeepConnected(module.BackwardTensor(grad_output, saved), saved), null!];
    }
}
