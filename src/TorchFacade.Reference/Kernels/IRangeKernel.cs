namespace TorchFacade.Reference.Kernels;

/// <summary>
/// An elementwise kernel over a range of element indices, the unit of work of <see cref="KernelLoop"/>. This is the
/// interface to implement for a new fused kernel (an optimizer update, an activation, a bandwidth probe):
/// <list type="number">
/// <item>Write a <see langword="struct"/> (so the driver is specialised for it and the call inlines) whose fields are
/// the pointers to the tensors' memory (contiguous, pinned or native, taken when the struct is built) and the
/// scalars of the update, already cast to the element type.</item>
/// <item>In <see cref="Run"/>, copy the fields into locals first (stores through the pointers could alias the
/// struct, so the JIT would reload fields on every iteration), then run a <c>Vector256</c> loop while
/// <c>i + Vector256&lt;T&gt;.Count &lt;= end</c> when <c>vectorized</c> is set, and finish with a
/// scalar loop that does exactly the same arithmetic per element (same operations, same order, same fused
/// multiply-adds), so the result does not depend on where the chunk and vector boundaries fall.</item>
/// <item>Call <see cref="KernelLoop.Run{TKernel}(TKernel, long, long)"/> with the element count; it splits large
/// ranges across cores as <see cref="KernelOptions"/> says and passes <c>vectorized</c> =
/// <see langword="false"/> when <see cref="KernelOptions.ScalarOnly"/> is set on the calling thread.</item>
/// </list>
/// Chunks never overlap and every chunk but the last starts and ends on a multiple of
/// <see cref="KernelLoop.ChunkAlignment"/> elements, so kernels that write only their own elements need no locking.
/// </summary>
internal interface IRangeKernel
{
    /// <summary>Processes items <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    /// <param name="start">The first item.</param>
    /// <param name="end">One past the last item.</param>
    /// <param name="vectorized">Whether SIMD paths may run (<see langword="false"/>: the scalar path only).</param>
    void Run(long start, long end, bool vectorized);
}
