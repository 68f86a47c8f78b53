namespace TorchFacade.Conformance.Cases.Devices;

/// <summary>
/// One LibTorch operation compared between CUDA and CPU: how to make its seeded inputs (always on the CPU, then copied,
/// because CUDA's and the CPU's random generators differ), how to apply it, and how far the two devices may differ.
/// </summary>
/// <param name="Name">The id segment, e.g. <c>exp</c>.</param>
/// <param name="Claim">What is expected to agree, in words.</param>
/// <param name="Inputs">Makes the inputs on the CPU in the given dtype from the given generator.</param>
/// <param name="Apply">The operation.</param>
/// <param name="Differentiable">Whether a backward case is generated too.</param>
/// <param name="Widen">Widens the dtype's default tolerance with a reason, or returns it unchanged.</param>
internal sealed record DeviceOp(
    string Name,
    string Claim,
    Func<torch.Generator, torch.ScalarType, torch.Tensor[]> Inputs,
    Func<torch.Tensor[], torch.Tensor> Apply,
    bool Differentiable,
    Func<Tolerance, torch.ScalarType, Tolerance> Widen);
