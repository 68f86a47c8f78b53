namespace TorchFacade.Reference.Kernels;

/// <summary>
/// Settings of the managed kernels (the reference activations and optimizers), all read by the one driver that
/// runs them: how many cores a large input is split over, from which size on it is split at all, and a switch that
/// forces the scalar paths.
/// </summary>
public static class KernelOptions
{
    /// <summary>The smallest <see cref="ParallelThreshold"/> allowed (one block of the activation kernels).</summary>
    public const int MinParallelThreshold = 1024;

    [ThreadStatic]
    private static bool scalarOnly;

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
    /// <exception cref="ArgumentOutOfRangeException">The value is less than <see cref="MinParallelThreshold"/>.</exception>
    public static int ParallelThreshold
    {
        get => parallelThreshold;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinParallelThreshold);
            parallelThreshold = value;
        }
    }

    /// <summary>
    /// When <see langword="true"/>, kernel calls made from the calling thread run their scalar paths only (no
    /// <c>Vector128/256/512</c>), so tests can check the scalar code on hardware with SIMD, as runs with hardware
    /// intrinsics disabled would. Per thread (tests running in parallel do not see each other's setting); the
    /// driver reads it once per call and applies it to the worker threads of that call. Default
    /// <see langword="false"/>.
    /// </summary>
    public static bool ScalarOnly
    {
        get => scalarOnly;
        set => scalarOnly = value;
    }
}
