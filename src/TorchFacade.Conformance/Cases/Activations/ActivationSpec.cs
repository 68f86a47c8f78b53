using TorchFacade.Reference.Activations;

namespace TorchFacade.Conformance.Cases.Activations;

/// <summary>
/// One element-wise reference activation as the conformance suite checks it: how to build the reference module,
/// what LibTorch computes for it (its functional kernel, or a composition of LibTorch ops where LibTorch has none),
/// and the dtypes LibTorch's CPU kernel accepts.
/// </summary>
/// <param name="Id">The id used in case ids, e.g. <c>gelu-tanh</c>.</param>
/// <param name="Create">Builds the reference module (its <c>Value</c>/<c>Derivative</c> are the oracle).</param>
/// <param name="LibTorch">LibTorch's version: the functional kernel (e.g. <c>F.gelu(x, approximate)</c>) or a composition.</param>
/// <param name="LibTorchDescription">What <paramref name="LibTorch"/> is, in words (for the case's "compares").</param>
/// <param name="HasLibTorchKernel">Whether LibTorch has a kernel for it (false: Swish β≠1, x·tanh x, x·sin x).</param>
public sealed record ActivationSpec(
    string Id,
    Func<ElementwiseActivation> Create,
    Func<Tensor, Tensor> LibTorch,
    string LibTorchDescription,
    bool HasLibTorchKernel);
