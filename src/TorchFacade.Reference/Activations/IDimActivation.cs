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
