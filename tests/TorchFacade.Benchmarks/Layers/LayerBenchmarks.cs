using BenchmarkDotNet.Attributes;
using TorchFacade.Reference.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Benchmarks.Layers;

/// <summary>The reference GroupNorm (custom autograd function) and Pad (index gathers) vs LibTorch's kernels, forward + backward.</summary>
[SimpleJob(warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser(false)]
public class LayerBenchmarks
{
    private Tensor input = null!;
    private Tensor weight = null!;
    private Tensor bias = null!;
    private Tensor image = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.manual_seed(1);
        input = torch.randn(8, 32, 16, 16).requires_grad_();
        weight = torch.randn(32).requires_grad_();
        bias = torch.randn(32).requires_grad_();
        image = torch.randn(8, 3, 64, 64).requires_grad_();
    }

    [Benchmark(Baseline = true)]
    public void GroupNormLibTorch()
    {
        using var scope = torch.NewDisposeScope();
        nn.functional.group_norm(input, 8, weight, bias).sum().backward();
    }

    [Benchmark]
    public void GroupNormReference()
    {
        using var scope = torch.NewDisposeScope();
        GroupNorm.Functional(input, 8, weight, bias).sum().backward();
    }

    [Benchmark]
    public void ReflectPadLibTorch()
    {
        using var scope = torch.NewDisposeScope();
        nn.functional.pad(image, [3, 3, 3, 3], PaddingModes.Reflect).sum().backward();
    }

    [Benchmark]
    public void ReflectPadReference()
    {
        using var scope = torch.NewDisposeScope();
        Pad.Apply(image, [3, 3, 3, 3], PadMode.Reflect).sum().backward();
    }
}
