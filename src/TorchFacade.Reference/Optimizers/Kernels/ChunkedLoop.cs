namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>Runs a fused kernel over a parameter, split across cores for large tensors.</summary>
internal static class ChunkedLoop
{
    /// <summary>Below this many elements one thread does the whole update (the fork/join would cost more than it saves).</summary>
    public const long ParallelThreshold = 1L << 17;

    /// <summary>Chunk boundaries are multiples of this, so every chunk but the last is whole vectors.</summary>
    private const long Alignment = 64;

    /// <summary>Runs <paramref name="kernel"/> over <c>[0, length)</c>. Every element goes through the same arithmetic whichever chunk or path (vector or scalar tail) it lands in, so the result does not depend on the split.</summary>
    /// <typeparam name="TKernel">The kernel.</typeparam>
    /// <param name="kernel">The kernel with its pointers and scalars.</param>
    /// <param name="length">Number of elements.</param>
    public static void Run<TKernel>(TKernel kernel, long length)
        where TKernel : struct, IChunkKernel
    {
        int workers = Environment.ProcessorCount;
        if (length < ParallelThreshold || workers < 2)
        {
            kernel.Run(0, length);
            return;
        }

        int chunks = (int)Math.Min(workers * 2, length / (ParallelThreshold / 4));
        long size = ((length / chunks) + Alignment - 1) / Alignment * Alignment;
        Parallel.For(0, chunks, c =>
        {
            long start = c * size;
            long end = Math.Min(length, start + size);
            if (start < end)
            {
                kernel.Run(start, end);
            }
        });
    }
}
