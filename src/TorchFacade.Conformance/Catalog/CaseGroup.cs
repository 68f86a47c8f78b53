namespace TorchFacade.Conformance;

/// <summary>The groups of the conformance catalog (see docs/conformance.md).</summary>
public enum CaseGroup
{
    /// <summary>Claims of the seed notes about tensors, memory, interop, devices, autograd and optimizer semantics.</summary>
    Semantics,

    /// <summary>Reference activations vs LibTorch's functional kernels, autograd and the scalar oracle.</summary>
    Activations,

    /// <summary>Reference optimizers vs TorchSharp's built-ins and the update written out in <see cref="double"/>.</summary>
    Optimizers,

    /// <summary>FFN blocks, conv shapes, init bounds, pad, GroupNorm, gradient clipping, module defaults.</summary>
    Layers,

    /// <summary>LibTorch on CUDA vs LibTorch on CPU.</summary>
    Devices,

    /// <summary>Reference modules vs outputs that PyTorch stored in <c>tests/golden/*.npz</c>.</summary>
    Golden,

    /// <summary>Autograd graph, hooks, retained grads, <c>Torch.Autograd.Grad</c> and higher-order gradients vs PyTorch's goldens (<c>tests/golden/autograd.json</c>).</summary>
    Autograd,

    /// <summary>Learning-rate schedulers vs PyTorch 2.6 runs stored in <c>tests/golden/schedulers.json</c>.</summary>
    Schedulers,
    /// <summary>Bad inputs to every public member: the exception type, PyTorch's error kind and the message, checked against PyTorch 2.6.</summary>
    Errors,

    /// <summary>Property-based cases (CsCheck, seeded, shrinking): optimizers vs the double oracle over random options and shapes, activations vs their scalar definition over random and edge inputs, interop round trips.</summary>
    Properties,
}
