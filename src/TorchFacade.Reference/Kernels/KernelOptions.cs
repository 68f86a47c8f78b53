namespace TorchFacade.Reference.Kernels;

/// <summary>
/// Process-wide settings of the managed activation kernels: how many cores a large input is split over, and from
/// which length on it is split at all.
/// </summary>
public static class KernelOptions
{
    private static int maxDegreeOfParallelism = Environment.ProcessorCount;
    private static int parallelThreshold = 1 << 16;

    /// <summary>
    /// The most threads one kernel call uses (default: <see cref="Environment.ProcessorCount"/>). Set it to the value
    /// given to <c>torch.set_num_threads</c> to compare with LibTorch at the same thread count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => maxDegreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            maxDegreeOfParallelism = value;
        }
    }

    /// <summary>
    /// Inputs with at least this many elements are split into chunks processed in parallel (default 65 536).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than <see cref="KernelLoop.BlockSize"/>.</exception>
    public static int ParallelThreshold
    {
        get => parallelThreshold;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, KernelLoop.BlockSize);
            parallelThreshold = value;
        }
    }
}
