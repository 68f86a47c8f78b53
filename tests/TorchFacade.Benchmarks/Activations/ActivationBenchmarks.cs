using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TorchFacade.Conformance.Cases.Activations;
using TorchFacade.Reference.Activations;
using TorchFacade.Reference.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Benchmarks.Activations;

/// <summary>
/// The managed reference activations vs LibTorch's native CPU kernels on 10M float32 elements, at the same thread
/// count (torch.set_num_threads = KernelOptions.MaxDegreeOfParallelism = the core count): forward (a new output
/// tensor each call, as both do) and forward + backward through autograd (the reference's custom function vs
/// LibTorch's own backward kernel). Run: <c>dotnet run -c Release -- --filter '*ActivationBenchmarks*'</c>.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class ActivationBenchmarks
{
    private const int Elements = 10_000_000;
    private Tensor x = null!;
    private Tensor xGrad = null!;
    private Tensor g = null!;
    private nn.Module<Tensor, Tensor> reference = null!;
    private Func<Tensor, Tensor> libtorch = null!;

    /// <summary>
    /// The activations measured: all twelve by default, or the comma-separated ids in the environment variable
    /// <c>TORCHFACADE_BENCH_ACTIVATIONS</c> (e.g. the seven of the speed target:
    /// <c>sigmoid,silu,gelu-none,gelu-tanh,softplus,elu,softmax</c>).
    /// </summary>
    public static IEnumerable<string> Activations =>
        Environment.GetEnvironmentVariable("TORCHFACADE_BENCH_ACTIVATIONS") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : ["relu", "leaky-relu", "sigmoid", "tanh", "silu", "gelu-none", "gelu-tanh", "elu", "selu", "softplus", "mish", "softmax"];

    /// <summary>The activation (ids of <see cref="ActivationSpecs"/>, plus softmax over rows of 1000).</summary>
    [ParamsSource(nameof(Activations))]
    public string Activation { get; set; } = "relu";

    [GlobalSetup]
    public void Setup()
    {
        int threads = Environment.ProcessorCount;
        torch.set_num_threads(threads);
        KernelOptions.MaxDegreeOfParallelism = threads;
        manual_seed(0);
        long[] shape = Activation == "softmax" ? [Elements / 1000, 1000] : [Elements];
        x = randn(shape).mul(3);
        xGrad = x.detach().clone().requires_grad_(true);
        g = randn(shape);
        if (Activation == "softmax")
        {
            reference = new Softmax(-1);
            libtorch = t => nn.functional.softmax(t, -1);
        }
        else
        {
            var spec = ActivationSpecs.Get(Activation);
            reference = spec.Create();
            libtorch = spec.LibTorch;
        }
    }

    [Benchmark(Description = "managed forward")]
    [BenchmarkCategory("forward")]
    public void ManagedForward()
    {
        using var _ = no_grad();
        using var y = reference.call(x);
    }

    [Benchmark(Description = "LibTorch forward", Baseline = true)]
    [BenchmarkCategory("forward")]
    public void LibTorchForward()
    {
        using var _ = no_grad();
        using var y = libtorch(x);
    }

    [Benchmark(Description = "managed forward+backward")]
    [BenchmarkCategory("forward+backward")]
    public void ManagedForwardBackward()
    {
        using var scope = NewDisposeScope();
        var y = reference.call(xGrad);
        y.backward([g]);
        xGrad.grad!.Dispose();
        xGrad.grad = null;
    }

    [Benchmark(Description = "LibTorch forward+backward", Baseline = true)]
    [BenchmarkCategory("forward+backward")]
    public void LibTorchForwardBackward()
    {
        using var scope = NewDisposeScope();
        var y = libtorch(xGrad);
        y.backward([g]);
        xGrad.grad!.Dispose();
        xGrad.grad = null;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        x.Dispose();
        xGrad.Dispose();
        g.Dispose();
    }

    /// <summary>
    /// One in-process job with few iterations (15, or <c>TORCHFACADE_BENCH_ITERATIONS</c>): the operations take
    /// milliseconds and the machine is shared; a quiet machine and more iterations give the tighter figures.
    /// </summary>
    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig()
        {
            int iterations = int.TryParse(Environment.GetEnvironmentVariable("TORCHFACADE_BENCH_ITERATIONS"), out int n) && n > 0 ? n : 15;
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(iterations)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
            AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        }
    }
}
