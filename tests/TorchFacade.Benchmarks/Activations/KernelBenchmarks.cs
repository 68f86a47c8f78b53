using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;

namespace TorchFacade.Benchmarks.Activations;

/// <summary>
/// The activation operators alone on warm float32 arrays (1M elements, one thread): no tensors, no allocation, no
/// autograd, so the figures are the kernels' own cost; a plain copy of the same bytes is the baseline. Compare with
/// <see cref="ActivationBenchmarks"/> to see how much of the module's time is the kernel.
/// Run: <c>dotnet run -c Release -- --filter '*KernelBenchmarks*'</c>.
/// </summary>
[Config(typeof(KernelConfig))]
public class KernelBenchmarks
{
    private const int Elements = 1 << 20;
    private readonly float[] x = new float[Elements];
    private readonly float[] g = new float[Elements];
    private readonly float[] y = new float[Elements];
    private int savedThreads;

    [GlobalSetup]
    public void Setup()
    {
        savedThreads = KernelOptions.MaxDegreeOfParallelism;
        KernelOptions.MaxDegreeOfParallelism = 1;
        var rng = new Random(0);
        for (int i = 0; i < Elements; i++)
        {
            x[i] = (float)((rng.NextDouble() * 12) - 6);
            g[i] = (float)(rng.NextDouble() - 0.5);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => KernelOptions.MaxDegreeOfParallelism = savedThreads;

    [Benchmark(Baseline = true, Description = "copy")]
    public void Copy() => x.CopyTo(y, 0);

    [Benchmark(Description = "sigmoid")]
    public void Sigmoid() => ElementwiseKernel.Forward<float, SigmoidOperator>(x, y, default);

    [Benchmark(Description = "silu")]
    public void Silu() => ElementwiseKernel.Forward<float, SwishOperator>(x, y, new SwishOperator(1.0));

    [Benchmark(Description = "gelu-none")]
    public void GeluErf() => ElementwiseKernel.Forward<float, GeluErfOperator>(x, y, default);

    [Benchmark(Description = "gelu-tanh")]
    public void GeluTanh() => ElementwiseKernel.Forward<float, GeluTanhOperator>(x, y, default);

    [Benchmark(Description = "softplus")]
    public void Softplus() => ElementwiseKernel.Forward<float, SoftplusOperator>(x, y, new SoftplusOperator(1.0, 20.0));

    [Benchmark(Description = "elu")]
    public void Elu() => ElementwiseKernel.Forward<float, EluOperator>(x, y, new EluOperator(1.0, 1.0));

    [Benchmark(Description = "silu backward")]
    public void SiluBackward() => ElementwiseKernel.Backward<float, SwishOperator>(g, x, y, new SwishOperator(1.0));

    [Benchmark(Description = "gelu-none backward")]
    public void GeluErfBackward() => ElementwiseKernel.Backward<float, GeluErfOperator>(g, x, y, default);

    /// <summary>A short in-process job: the kernels take a fraction of a millisecond.</summary>
    private sealed class KernelConfig : ManualConfig
    {
        public KernelConfig() =>
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(10));
    }
}
