namespace TorchFacade.Reference.Kernels;

/// <summary>
/// The one driver of the managed kernels, shared by the reference activations and optimizers: it splits
/// <c>[0, count)</c> into chunks processed in parallel when the work reaches <see cref="KernelOptions.ParallelThreshold"/>
/// elements (at most <see cref="KernelOptions.MaxDegreeOfParallelism"/> threads), and tells the kernel whether its
/// SIMD paths may run (<see cref="KernelOptions.ScalarOnly"/>). A kernel is an <see cref="IRangeKernel"/> struct. The
/// caller's settings hold on every worker thread of its call, for kernel calls nested in a chunk too.
/// </summary>
internal static class KernelLoop
{
    /// <summary>Elements per block of the kernels that work through scratch spans (softmax columns, PReLU's weight gradient).</summary>
    public const int BlockSize = 1024;

    /// <summary>Chunk boundaries of elementwise work are multiples of this, so every chunk but the last is whole blocks and whole vectors.</summary>
    public const long ChunkAlignment = BlockSize;

    // Set while this thread runs a chunk of a split call: kernel calls made from inside it are not split again.
    [ThreadStatic]
    private static bool insideChunk;

    /// <summary>
    /// Runs <paramref name="kernel"/> over items <c>[0, count)</c>: in one call on this thread when the work is small
    /// (fewer than <see cref="KernelOptions.ParallelThreshold"/> elements) or one thread is allowed, else in about one
    /// chunk per thread. Every item goes through the same arithmetic whichever chunk it lands in.
    /// </summary>
    /// <typeparam name="TKernel">The kernel.</typeparam>
    /// <param name="kernel">The kernel with its pointers and scalars.</param>
    /// <param name="count">Number of items (elements, or rows of <paramref name="elementsPerItem"/> elements).</param>
    /// <param name="elementsPerItem">Elements one item stands for (1 for elementwise kernels; a row's length for row-wise ones, whose chunks are then not aligned).</param>
    public static void Run<TKernel>(TKernel kernel, long count, long elementsPerItem = 1)
        where TKernel : struct, IRangeKernel
    {
        bool vectorized = !KernelOptions.ScalarOnly;
        int threads = KernelOptions.MaxDegreeOfParallelism;
        if (insideChunk || count < 2 || threads == 1 || count * elementsPerItem < KernelOptions.ParallelThreshold)
        {
            kernel.Run(0, count, vectorized);
            return;
        }

        long chunk = ChunkSize(count, elementsPerItem, threads);
        int chunks = (int)((count + chunk - 1) / chunk);
        if (chunks == 1)
        {
            kernel.Run(0, count, vectorized);
            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            // A chunk runs with the caller's settings on whichever thread takes it: kernel calls it makes itself (softmax
            // rows run the elementwise exp) see the caller's ScalarOnly and run in one piece, so the split stays within
            // MaxDegreeOfParallelism threads.
            bool savedScalarOnly = KernelOptions.ScalarOnly;
            bool savedInside = insideChunk;
            KernelOptions.ScalarOnly = !vectorized;
            insideChunk = true;
            try
            {
                long start = c * chunk;
                kernel.Run(start, Math.Min(count, start + chunk), vectorized);
            }
            finally
            {
                KernelOptions.ScalarOnly = savedScalarOnly;
                insideChunk = savedInside;
            }
        });
    }

    /// <summary>Throws unless <typeparamref name="T"/> is <see cref="float"/> or <see cref="double"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <exception cref="NotSupportedException">Another element type.</exception>
    public static void EnsureSupported<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"The managed activation kernels support float and double only, not {typeof(T).Name}; use the module's tensor path for float16/bfloat16.");
        }
    }

    /// <summary>Throws when two spans that must have the same length do not.</summary>
    /// <param name="expected">The first span's length.</param>
    /// <param name="actual">The other span's length.</param>
    /// <param name="name">The other span's parameter name.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void EnsureSameLength(int expected, int actual, string name)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Span length mismatch: '{name}' has {actual} elements but the input has {expected}; pass spans of the same length.", name);
        }
    }

    // About one chunk per thread; elementwise chunks are at least half the threshold and a multiple of the alignment.
    private static long ChunkSize(long count, long elementsPerItem, int threads)
    {
        long size = (count + threads - 1) / threads;
        if (elementsPerItem != 1)
        {
            return size;
        }

        size = Math.Max(size, KernelOptions.ParallelThreshold / 2);
        return (size + ChunkAlignment - 1) / ChunkAlignment * ChunkAlignment;
    }
}
