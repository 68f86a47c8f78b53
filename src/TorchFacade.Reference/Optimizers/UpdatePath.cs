namespace TorchFacade.Reference.Optimizers;

/// <summary>How a reference optimizer runs its per-parameter update.</summary>
public enum UpdatePath
{
    /// <summary>
    /// One fused C# pass over the parameter's, gradient's and state's memory (vectorized, split across cores for large
    /// tensors, no temporary tensors) for contiguous float32/float64 CPU tensors; in-place tensor ops otherwise.
    /// </summary>
    Auto,

    /// <summary>Always the same update as in-place LibTorch tensor ops (what runs on CUDA; also a baseline for benchmarks).</summary>
    TensorOps,
}
