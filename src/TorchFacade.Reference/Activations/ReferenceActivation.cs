using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// The autograd node of the reference activations (elementwise and along a dimension), on the facade's
/// <see cref="AutogradFunction{TSelf}"/>: PyTorch's node name (<c>ReferenceActivationBackward</c>), exceptions in backward
/// surface from <c>Backward</c> instead of unwinding through LibTorch, and a gradient the backward kernel creates is handed
/// to LibTorch's engine, so <c>AccumulateGrad</c> keeps it as the leaf's <c>.grad</c> instead of copying it (as for
/// LibTorch's own nodes). Where that node is unavailable (not Linux x64), <see cref="TryApply"/> returns
/// <see langword="null"/> and the caller uses TorchSharp's custom function.
/// </summary>
internal sealed class ReferenceActivation : AutogradFunction<ReferenceActivation>
{
    private const string StepKey = "step";

    [ThreadStatic]
    private static Step? pending;

    private static volatile bool unsupported;

    /// <summary>Runs <paramref name="step"/> on <paramref name="x"/> as one node; <see langword="null"/> when the platform has no facade nodes.</summary>
    internal static Tensor? TryApply(Tensor x, Step step)
    {
        if (unsupported)
        {
            return null;
        }

        pending = step;
        try
        {
            return Apply(x)[0];
        }
        catch (PlatformNotSupportedException)
        {
            unsupported = true;
            return null;
        }
        finally
        {
            pending = null;
        }
    }

    /// <inheritdoc />
    protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
    {
        Step step = pending ?? throw new InvalidOperationException("ReferenceActivation.Forward: no step; call TryApply.");
        Tensor x = inputs[0];
        Tensor y = step.Forward(x);
        ctx.Items[StepKey] = step;

        // A saved output is kept without its grad_fn (no cycle) and unpacked with this node as its grad_fn, so a recorded
        // (double) backward that reads y reaches x through this node again.
        ctx.SaveForBackward(step.SavesOutput ? y : x);
        return [y];
    }

    /// <inheritdoc />
    protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs)
    {
        var step = (Step)ctx.Items[StepKey]!;
        return [step.Backward(gradOutputs[0], ctx.SavedTensors[0])];
    }

    /// <summary>The forward, the backward from (gradient, saved tensor), and whether the saved tensor is the output.</summary>
    internal sealed record Step(Func<Tensor, Tensor> Forward, Func<Tensor, Tensor, Tensor> Backward, bool SavesOutput);
}
