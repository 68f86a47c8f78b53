using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade;

/// <summary>
/// PyTorch's <c>ctx</c> of a custom <c>torch.autograd.Function</c>: what <see cref="AutogradFunction{TSelf}"/>'s
/// <c>Forward</c> leaves for its <c>Backward</c> (tensors through <see cref="SaveForBackward"/>, anything else in
/// <see cref="Items"/>), which inputs need a gradient, and the forward's marks (dirty, non-differentiable,
/// materialized gradients).
/// </summary>
public sealed class AutogradContext
{
    private readonly bool[] needsInputGrad;
    private Tensor[] toSave = [];
    private Tensor[] dirty = [];
    private Tensor[] nonDifferentiable = [];
    private CustomFunctionNode? node;
    private Tensor[]? unpacked;
    private bool inForward = true;

    internal AutogradContext(bool[] needsInputGrad, string functionName)
    {
        this.needsInputGrad = needsInputGrad;
        FunctionName = functionName;
    }

    /// <summary>
    /// PyTorch's <c>ctx.needs_input_grad</c>: for each input of <c>Apply</c>, whether a gradient is wanted for it
    /// (it requires grad and the call is recorded); <c>Backward</c> may return <see langword="null"/> for the others.
    /// </summary>
    public IReadOnlyList<bool> NeedsInputGrad => needsInputGrad;

    /// <summary>
    /// PyTorch's <c>ctx.saved_tensors</c>: the tensors given to <see cref="SaveForBackward"/>, unpacked from LibTorch's
    /// saved variables, which checks them as PyTorch does: a saved tensor modified in place since raises "one of the
    /// variables needed for gradient computation has been modified by an inplace operation", and one read again after
    /// a backward pass without <c>retainGraph</c> raises "Trying to backward through the graph a second time". A saved
    /// output comes back with this function's node as its <c>GradFn</c> (so double backward reaches it). In
    /// <c>Backward</c> the tensors belong to the pass (disposed after it); read elsewhere, they are new tensors the
    /// caller disposes.
    /// </summary>
    /// <exception cref="TorchException">PyTorch's <c>RuntimeError</c>s above.</exception>
    public IReadOnlyList<Tensor> SavedTensors
    {
        get
        {
            if (node is null)
            {
                return toSave;
            }

            if (unpacked is not null)
            {
                return unpacked;
            }

            Tensor[] result = node.UnpackSaved(FunctionName + ".Backward");
            if (node.InBackward)
            {
                unpacked = result;
            }

            return result;
        }
    }

    /// <summary>
    /// A place for non-tensor values that <c>Backward</c> needs (Python's <c>ctx.scale = 2.0</c>): set them in
    /// <c>Forward</c>, read them in <c>Backward</c>. Tensors belong in <see cref="SaveForBackward"/>, where LibTorch
    /// checks them for in-place changes.
    /// </summary>
    public IDictionary<string, object?> Items { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Whether undefined output gradients reach <c>Backward</c> as zeros (the default) or as <see langword="null"/>.</summary>
    internal bool MaterializeGrads { get; private set; } = true;

    internal string FunctionName { get; }

    internal IReadOnlyList<Tensor> ToSave => toSave;

    internal IReadOnlyList<Tensor> Dirty => dirty;

    internal IReadOnlyList<Tensor> NonDifferentiable => nonDifferentiable;

    /// <summary>
    /// PyTorch's <c>ctx.save_for_backward(*tensors)</c>: keeps inputs, outputs or intermediates of <c>Forward</c> for
    /// <c>Backward</c> (read them with <see cref="SavedTensors"/>). Call it from <c>Forward</c>; a second call replaces
    /// the first, as in PyTorch.
    /// </summary>
    /// <param name="tensors">The tensors, in the order <see cref="SavedTensors"/> will return them.</param>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="InvalidOperationException">Called outside <c>Forward</c>.</exception>
    public void SaveForBackward(params Tensor[] tensors) => toSave = CheckForward(tensors, nameof(SaveForBackward));

    /// <summary>
    /// PyTorch's <c>ctx.mark_dirty(*tensors)</c>: declares inputs that <c>Forward</c> modified in place (they must be
    /// returned as outputs). Their version counters are bumped and their history is this function; a leaf that
    /// requires grad raises PyTorch's "a leaf Variable that requires grad has been used in an in-place operation."
    /// </summary>
    /// <param name="tensors">The modified inputs.</param>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="InvalidOperationException">Called outside <c>Forward</c>.</exception>
    public void MarkDirty(params Tensor[] tensors) => dirty = CheckForward(tensors, nameof(MarkDirty));

    /// <summary>
    /// PyTorch's <c>ctx.mark_non_differentiable(*tensors)</c>: outputs that do not require grad (indices, masks).
    /// <c>Backward</c> still receives a gradient slot for them (zeros when gradients are materialized).
    /// </summary>
    /// <param name="tensors">The outputs.</param>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="InvalidOperationException">Called outside <c>Forward</c>.</exception>
    public void MarkNonDifferentiable(params Tensor[] tensors) => nonDifferentiable = CheckForward(tensors, nameof(MarkNonDifferentiable));

    /// <summary>
    /// PyTorch's <c>ctx.set_materialize_grads(value)</c>: with <see langword="true"/> (the default) an output whose
    /// gradient is undefined in the backward pass (it was not used) reaches <c>Backward</c> as zeros of its shape;
    /// with <see langword="false"/> as <see langword="null"/>.
    /// </summary>
    /// <param name="value">Whether to materialize.</param>
    public void SetMaterializeGrads(bool value) => MaterializeGrads = value;

    internal void EndForward(CustomFunctionNode? attached)
    {
        inForward = false;
        node = attached;
    }

    internal void EndBackward() => unpacked = null;

    private Tensor[] CheckForward(Tensor[] tensors, string member)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (!inForward)
        {
            throw new InvalidOperationException(
                $"AutogradContext.{member}: call it from {FunctionName}'s Forward; after Forward returned it has no effect (PyTorch reads it only there).");
        }

        for (int i = 0; i < tensors.Length; i++)
        {
            if (tensors[i] is null)
            {
                throw new ArgumentNullException(nameof(tensors), $"AutogradContext.{member}: tensors[{i}] is null.");
            }

            TensorChecks.ThrowIfDisposed(tensors[i], "AutogradContext." + member);
        }

        return (Tensor[])tensors.Clone();
    }
}
