namespace TorchFacade;

/// <summary>
/// One entry of PyTorch's <c>grad_fn.next_functions</c>: the node that receives the gradient of one of this node's inputs
/// and which of that node's inputs it is — PyTorch's <c>(function, input_nr)</c> pair.
/// </summary>
/// <param name="Function">The next node (an <c>AccumulateGrad</c> for a leaf), or <see langword="null"/> where PyTorch shows
/// <c>None</c> (an input that does not require grad).</param>
/// <param name="InputNr">Which input of <paramref name="Function"/> the gradient goes to (PyTorch's <c>input_nr</c>).</param>
public readonly record struct GradEdge(GradFn? Function, int InputNr);
