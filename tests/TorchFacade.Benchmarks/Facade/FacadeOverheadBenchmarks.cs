using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TorchSharp;

namespace TorchFacade.Benchmarks.Facade;

/// <summary>
/// Each facade member next to the raw TorchSharp call it wraps (the baseline of its category), in one run:
/// the facade's checks (disposed tensor, shapes, layouts, leafness) must cost at most 5 ns or 2%.
/// Run: <c>dotnet run -c Release -- --filter '*FacadeOverhead*' --job short</c>.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FacadeOverheadBenchmarks
{
    private torch.Tensor contiguous = null!;
    private torch.Tensor permuted = null!;
    private torch.Tensor scalar = null!;
    private torch.Tensor source = null!;
    private torch.Tensor target = null!;
    private torch.Tensor leaf = null!;
    private torch.Tensor nonLeaf = null!;
    private torch.Tensor withGrad = null!;
    private torch.Device cpu = null!;

    [GlobalSetup]
    public void Setup()
    {
        contiguous = torch.rand(4, 6);
        permuted = torch.rand(2, 3, 4).permute(1, 0, 2);
        scalar = torch.tensor(2.5f);
        source = torch.rand(6);
        target = torch.zeros(4, 6);
        leaf = torch.rand(3, requires_grad: true);
        nonLeaf = leaf * 2;
        withGrad = torch.rand(3, requires_grad: true);
        using (var loss = (withGrad * withGrad).sum())
        {
            loss.backward();
        }

        cpu = torch.CPU;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { contiguous, permuted, scalar, source, target, leaf, nonLeaf, withGrad })
        {
            t.Dispose();
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("View")]
    public void TorchSharpView()
    {
        using var v = contiguous.view(6, -1);
    }

    [Benchmark, BenchmarkCategory("View")]
    public void FacadeView()
    {
        using var v = contiguous.View(6, -1);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("View(non-contiguous)")]
    public void TorchSharpViewPermuted()
    {
        using var v = permuted.view(3, 2, 2, 2);
    }

    [Benchmark, BenchmarkCategory("View(non-contiguous)")]
    public void FacadeViewPermuted()
    {
        using var v = permuted.View(3, 2, 2, 2);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Reshape")]
    public void TorchSharpReshape()
    {
        using var v = contiguous.reshape(3, 8);
    }

    [Benchmark, BenchmarkCategory("Reshape")]
    public void FacadeReshape()
    {
        using var v = contiguous.Reshape(3, 8);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Clone")]
    public void TorchSharpClone()
    {
        using var v = contiguous.clone();
    }

    [Benchmark, BenchmarkCategory("Clone")]
    public void FacadeClone()
    {
        using var v = contiguous.Clone();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Item")]
    public float TorchSharpItem() => scalar.item<float>();

    [Benchmark, BenchmarkCategory("Item")]
    public float FacadeItem() => scalar.Item<float>();

    [Benchmark(Baseline = true), BenchmarkCategory("Assign")]
    public void TorchSharpCopy() => target.copy_(source);

    [Benchmark, BenchmarkCategory("Assign")]
    public void FacadeAssign() => target.Assign(source);

    [Benchmark(Baseline = true), BenchmarkCategory("DataPtr")]
    public long TorchSharpStorageDataPtr() => (long)contiguous.storage<float>().data_ptr();

    [Benchmark, BenchmarkCategory("DataPtr")]
    public long FacadeDataPtr() => contiguous.DataPtr;

    [Benchmark(Baseline = true), BenchmarkCategory("SharesStorageWith")]
    public bool TorchSharpStorageCompare() => contiguous.storage<float>().data_ptr() == permuted.storage<float>().data_ptr();

    [Benchmark, BenchmarkCategory("SharesStorageWith")]
    public bool FacadeSharesStorageWith() => contiguous.SharesStorageWith(permuted);

    [Benchmark(Baseline = true), BenchmarkCategory("To")]
    public void TorchSharpTo()
    {
        using var v = contiguous.to(cpu);
    }

    [Benchmark, BenchmarkCategory("To")]
    public void FacadeTo()
    {
        using var v = contiguous.To(cpu);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("RequiresGrad.get")]
    public bool TorchSharpRequiresGrad() => leaf.requires_grad;

    [Benchmark, BenchmarkCategory("RequiresGrad.get")]
    public bool FacadeRequiresGrad() => leaf.RequiresGrad;

    [Benchmark(Baseline = true), BenchmarkCategory("RequiresGrad.set")]
    public void TorchSharpSetRequiresGrad() => leaf.requires_grad = true;

    [Benchmark, BenchmarkCategory("RequiresGrad.set")]
    public void FacadeSetRequiresGrad() => leaf.RequiresGrad = true;

    [Benchmark(Baseline = true), BenchmarkCategory("IsLeaf")]
    public bool TorchSharpIsLeaf() => nonLeaf.is_leaf;

    [Benchmark, BenchmarkCategory("IsLeaf")]
    public bool FacadeIsLeaf() => nonLeaf.IsLeaf;

    [Benchmark(Baseline = true), BenchmarkCategory("Grad")]
    public void TorchSharpGrad()
    {
        using var g = withGrad.grad;
    }

    [Benchmark, BenchmarkCategory("Grad")]
    public void FacadeGrad()
    {
        using var g = withGrad.Grad;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Detach")]
    public void TorchSharpDetach()
    {
        using var d = nonLeaf.detach();
    }

    [Benchmark, BenchmarkCategory("Detach")]
    public void FacadeDetach()
    {
        using var d = nonLeaf.Detach();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Backward")]
    public void TorchSharpBackward()
    {
        using var scope = torch.NewDisposeScope();
        (leaf * leaf).sum().backward();
    }

    [Benchmark, BenchmarkCategory("Backward")]
    public void FacadeBackward()
    {
        using var scope = torch.NewDisposeScope();
        (leaf * leaf).sum().Backward();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("NoGrad")]
    public void TorchSharpNoGrad()
    {
        using var mode = torch.no_grad();
    }

    [Benchmark, BenchmarkCategory("NoGrad")]
    public void FacadeNoGrad()
    {
        using var mode = Torch.NoGrad();
    }
}
