namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>A fused elementwise update over <c>[start, end)</c> of a parameter's memory; runs independently per chunk.</summary>
internal interface IChunkKernel
{
    /// <summary>Updates elements <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    /// <param name="start">First element.</param>
    /// <param name="end">One past the last element.</param>
    void Run(long start, long end);
}
