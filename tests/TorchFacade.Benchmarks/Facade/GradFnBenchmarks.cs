using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace TorchFacade.Benchmarks.Facade;

/// <summary>
/// <c>GradFn.Name</c>: one lookup through LibTorch's exported <c>grad_fn()</c> and the node's virtual <c>name()</c>
/// (target ≤ 1 µs), next to TorchSharp's cheapest autograd metadata read for scale.
/// Run: <c>dotnet run -c Release -- --filter '*GradFnBenchmarks*' --job short</c>.
/// </summary>
public class GradFnBenchmarks
{
    private torch.Tensor leaf = null!;
    private torch.Tensor product = null!;
    private torch.Tensor attention = null!;

    [GlobalSetup]
    public void Setup()
    {
        leaf = torch.rand(3, requires_grad: true);
        product = leaf * leaf;
        using var q = leaf.view(1, 1, 3);
        attention = torch.nn.functional.scaled_dot_product_attention(q, q, q);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        leaf.Dispose();
        product.Dispose();
        attention.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool TorchSharpIsLeaf() => product.is_leaf;

    [Benchmark]
    public string? GradFnNameShort() => product.GradFn?.Name;

    [Benchmark]
    public string? GradFnNameHeapAllocated() => attention.GradFn?.Name;

    [Benchmark]
    public GradFn? GradFnOfLeaf() => leaf.GradFn;
}
