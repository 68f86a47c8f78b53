using static TorchSharp.torch;

namespace TorchFacade.Reference.Layers;

/// <summary>The hand-written gradients of a <see cref="GatedFeedForward"/> block (weights in (out, in) layout).</summary>
/// <param name="Input">d/dx, the input's shape.</param>
/// <param name="W">d/d(W.weight), (dHidden, dModel).</param>
/// <param name="B">d/d(W.bias), or <see langword="null"/> without biases.</param>
/// <param name="V">d/d(V.weight), (dHidden, dModel).</param>
/// <param name="C">d/d(V.bias), or <see langword="null"/>.</param>
/// <param name="W2">d/d(W2.weight), (dModel, dHidden).</param>
/// <param name="B2">d/d(W2.bias), or <see langword="null"/>.</param>
public sealed record GatedFeedForwardGradients(Tensor Input, Tensor W, Tensor? B, Tensor V, Tensor? C, Tensor W2, Tensor? B2);
