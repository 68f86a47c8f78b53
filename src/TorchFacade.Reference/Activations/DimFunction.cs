using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>The custom autograd function of the dimension-wise activations. Arguments: (Tensor input, IDimActivation module, int dim).</summary>
internal sealed class DimFunction : autograd.SingleTensorFunction<DimFunction>
{
    /// <summary>
    /// Applies <paramref name="activation"/> along the normalised <paramref name="dim"/>, differentiable through its
    /// backward: the facade's node (<see cref="ReferenceActivation"/>) where the platform has it, else this TorchSharp
    /// function; no node at all when no graph is recorded.
    /// </summary>
    public static Tensor Run(Tensor input, IDimActivation activation, int dim)
    {
        if (!TensorBridge.RecordsGraph(input))
        {
            return activation.ForwardTensor(input, dim);
        }

        var step = new ReferenceActivation.Step(t => activation.ForwardTensor(t, dim), (g, saved) => activation.BackwardTensor(g, saved, dim), activation.SavesOutput);
        return ReferenceActivation.TryApply(input, step) ?? apply(input, activation, dim);
    }

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
