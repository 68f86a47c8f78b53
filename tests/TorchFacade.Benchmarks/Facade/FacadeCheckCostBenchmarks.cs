using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace TorchFacade.Benchmarks.Facade;

/// <summary>
/// The facade's added work on its own — the checks each member runs before the TorchSharp call it wraps — so the
/// overhead can be read without the noise of the (much slower) LibTorch call around it.
/// Run: <c>dotnet run -c Release -- --filter '*FacadeCheckCost*' --job short</c>.
/// </summary>
public class FacadeCheckCostBenchmarks
{
    private readonly long[] viewShape = [6, -1];
    private torch.Tensor contiguous = null!;
    private torch.Tensor source = null!;
    private torch.Tensor leaf = null!;

    [GlobalSetup]
    public void Setup()
    {
        contiguous = torch.rand(4, 6);
        source = torch.rand(6);
        leaf = torch.rand(3, requires_grad: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        contiguous.Dispose();
        source.Dispose();
        leaf.Dispose();
    }

    /// <summary>Clone, Detach, Grad, To(Device), DataPtr: the disposed-tensor check only.</summary>
    [Benchmark]
    public void DisposedCheck() => TensorChecks.ThrowIfDisposed(contiguous, "Clone");

    /// <summary>View on a contiguous tensor (Reshape does the first three).</summary>
    [Benchmark]
    public bool ViewChecks()
    {
        TensorChecks.ThrowIfDisposed(contiguous, "View");
        ShapeRules.CheckElementCount("View", viewShape, NativeTensor.NumelOf(contiguous), out _);
        return NativeTensor.IsContiguousOf(contiguous);
    }

    /// <summary>Item: disposed check and element count.</summary>
    [Benchmark]
    public long ItemChecks()
    {
        TensorChecks.ThrowIfDisposed(contiguous, "Item");
        return NativeTensor.NumelOf(contiguous);
    }

    /// <summary>Assign: both disposed checks, broadcastability, in-place-on-leaf rule.</summary>
    [Benchmark]
    public bool AssignChecks()
    {
        TensorChecks.ThrowIfDisposed(contiguous, "Assign");
        TensorChecks.ThrowIfDisposed(source, "Assign");
        return NativeTensor.BroadcastsTo(source, contiguous) && !(NativeTensor.RequiresGradOf(contiguous) && NativeTensor.IsLeafOf(contiguous));
    }

    /// <summary>RequiresGrad = true: disposed check, leafness, dtype.</summary>
    [Benchmark]
    public bool RequiresGradSetChecks()
    {
        TensorChecks.ThrowIfDisposed(leaf, "RequiresGrad");
        return NativeTensor.IsLeafOf(leaf) && NativeTensor.DTypeOf(leaf) == torch.ScalarType.Float32;
    }

    /// <summary>Backward on a scalar: disposed check, requires grad, element count.</summary>
    [Benchmark]
    public bool BackwardChecks()
    {
        TensorChecks.ThrowIfDisposed(leaf, "Backward");
        return NativeTensor.RequiresGradOf(leaf) && NativeTensor.NumelOf(leaf) == 3;
    }
}
