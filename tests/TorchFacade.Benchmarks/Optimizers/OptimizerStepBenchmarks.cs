using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Optimizers.Kernels;
using TorchSharp;
using TorchSharp.Modules;

namespace TorchFacade.Benchmarks.Optimizers;

/// <summary>The optimizers benchmarked.</summary>
public enum StepOptimizer
{
    /// <summary>Adam (lr 1e-3): 28 bytes moved per float32 parameter.</summary>
    Adam,

    /// <summary>AdamW (lr 1e-3, weight decay 1e-2): 28 bytes per parameter.</summary>
    AdamW,

    /// <summary>SGD with momentum 0.9: 20 bytes per parameter.</summary>
    SGDMomentum,

    /// <summary>NAdam (PyTorch's defaults): read p, g, exp_avg, exp_avg_sq, write p and both: 28 bytes.</summary>
    NAdam,

    /// <summary>RAdam (PyTorch's defaults, the rectified branch after step 5): 28 bytes.</summary>
    RAdam,

    /// <summary>Adamax (PyTorch's defaults): p, g, exp_avg, exp_inf: 28 bytes.</summary>
    Adamax,

    /// <summary>Adadelta (PyTorch's defaults): p, g, square_avg, acc_delta: 28 bytes.</summary>
    Adadelta,

    /// <summary>ASGD (PyTorch's defaults): read p, g, ax, write p, ax: 20 bytes.</summary>
    ASGD,

    /// <summary>Rprop (PyTorch's defaults): p, g, prev, step_size: 28 bytes.</summary>
    Rprop,
}

/// <summary>How the step is computed.</summary>
public enum StepImplementation
{
    /// <summary>The reference optimizer's fused C# pass (vectorized, split across cores).</summary>
    Reference,

    /// <summary>TorchSharp 0.107's built-in optimizer (<c>torch.optim.Adam</c>, ...).</summary>
    TorchSharp,

    /// <summary>The same update as in-place LibTorch tensor ops (the reference with <see cref="UpdatePath.TensorOps"/>).</summary>
    TensorOps,

    /// <summary>A bandwidth triad over the same streams: the floor any implementation can reach.</summary>
    BandwidthFloor,
}

/// <summary>
/// One optimizer step over 10M float32 parameters (after six warm-up steps, so every buffer exists and RAdam is rectified) (one tensor, gradient already computed): the reference's fused pass vs
/// TorchSharp's built-in vs the same update as in-place tensor ops vs the memory-bandwidth floor.
/// Run: <c>cd tests/TorchFacade.Benchmarks &amp;&amp; dotnet run -c Release -- --filter '*OptimizerStep*' --job short</c>.
/// </summary>
[MemoryDiagnoser(false)]
public class OptimizerStepBenchmarks
{
    private const long Count = 10_000_000;

    // Past RAdam's unrectified first steps (ρ_t > 5 from step 6), so every optimizer runs its steady-state update.
    private const int WarmSteps = 6;

    private torch.Tensor? parameter;
    private Optimizer? facade;
    private torch.optim.Optimizer? builtIn;
    private torch.Tensor? grad;
    private torch.Tensor[] streams = [];

    /// <summary>
    /// The optimizers to run: all by default, or the comma-separated names in <c>TORCHFACADE_BENCH_OPTIMIZERS</c>
    /// (e.g. <c>NAdam,RAdam,Adamax,Adadelta,ASGD,Rprop</c>).
    /// </summary>
    public static IEnumerable<StepOptimizer> Optimizers =>
        Environment.GetEnvironmentVariable("TORCHFACADE_BENCH_OPTIMIZERS") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Enum.Parse<StepOptimizer>)
            : Enum.GetValues<StepOptimizer>();

    /// <summary>Which optimizer.</summary>
    [ParamsSource(nameof(Optimizers))]
    public StepOptimizer Optimizer { get; set; }

    /// <summary>Which implementation.</summary>
    [ParamsAllValues]
    public StepImplementation Implementation { get; set; }

    /// <summary>Bytes the update must move per parameter (the denominator of the bandwidth figure).</summary>
    public int BytesPerParameter => Optimizer is StepOptimizer.SGDMomentum or StepOptimizer.ASGD ? 20 : 28;

    /// <summary>Allocates the parameter, its gradient and the optimizer, and takes one step so every state buffer exists.</summary>
    [GlobalSetup]
    public void Setup()
    {
        torch.random.manual_seed(1);
        grad = torch.randn(Count).mul_(1e-3f);
        switch (Implementation)
        {
            case StepImplementation.TorchSharp:
                var p = new Parameter(torch.randn(Count));
                parameter = p;
                builtIn = Optimizer switch
                {
                    StepOptimizer.Adam => torch.optim.Adam([p], 1e-3),
                    StepOptimizer.AdamW => torch.optim.AdamW([p], 1e-3, weight_decay: 1e-2),
                    StepOptimizer.SGDMomentum => torch.optim.SGD([p], 1e-3, momentum: 0.9),
                    StepOptimizer.NAdam => torch.optim.NAdam([p], 2e-3),
                    StepOptimizer.RAdam => torch.optim.RAdam([p], 1e-3),
                    StepOptimizer.Adamax => torch.optim.Adamax([p], 2e-3),
                    StepOptimizer.Adadelta => torch.optim.Adadelta([p], 1.0),
                    StepOptimizer.ASGD => torch.optim.ASGD([p], 1e-2),
                    _ => torch.optim.Rprop([p], 1e-2),
                };
                p.grad = grad;
                for (int i = 0; i < WarmSteps; i++)
                {
                    using var scope = torch.NewDisposeScope();
                    builtIn.step();
                }
                break;
            case StepImplementation.BandwidthFloor:
                streams = Enumerable.Range(0, BytesPerParameter == 20 ? 2 : 3).Select(_ => torch.randn(Count)).ToArray();
                break;
            default:
                parameter = torch.randn(Count).requires_grad_(true);
                ReferenceOptimizer reference = Optimizer switch
                {
                    StepOptimizer.Adam => new Reference.Optimizers.Adam([parameter], 1e-3),
                    StepOptimizer.AdamW => new Reference.Optimizers.AdamW([parameter], 1e-3, weightDecay: 1e-2),
                    StepOptimizer.SGDMomentum => new Reference.Optimizers.SGD([parameter], 1e-3, momentum: 0.9),
                    StepOptimizer.NAdam => new Reference.Optimizers.NAdam([parameter]),
                    StepOptimizer.RAdam => new Reference.Optimizers.RAdam([parameter]),
                    StepOptimizer.Adamax => new Reference.Optimizers.Adamax([parameter]),
                    StepOptimizer.Adadelta => new Reference.Optimizers.Adadelta([parameter]),
                    StepOptimizer.ASGD => new Reference.Optimizers.ASGD([parameter], 1e-2),
                    _ => new Reference.Optimizers.Rprop([parameter]),
                };
                reference.Path = Implementation == StepImplementation.TensorOps ? UpdatePath.TensorOps : UpdatePath.Auto;
                facade = reference;
                parameter.grad = grad;
                for (int i = 0; i < WarmSteps; i++)
                {
                    facade.Step();
                }
                break;
        }
    }

    /// <summary>One step.</summary>
    [Benchmark]
    public void Step()
    {
        switch (Implementation)
        {
            case StepImplementation.TorchSharp:
                using (torch.NewDisposeScope())
                {
                    builtIn!.step();
                }

                break;
            case StepImplementation.BandwidthFloor:
                Triad();
                break;
            default:
                facade!.Step();
                break;
        }
    }

    /// <summary>Frees the tensors.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        facade?.Dispose();
        builtIn?.Dispose();
        parameter?.Dispose();
        grad?.Dispose();
        foreach (torch.Tensor t in streams)
        {
            t.Dispose();
        }
    }

    private unsafe void Triad()
    {
        static float* Ptr(torch.Tensor t) => (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, float>(t.bytes)));
        var kernel = new BandwidthTriad
        {
            G = Ptr(grad!),
            S0 = Ptr(streams[0]),
            S1 = Ptr(streams[1]),
            S2 = streams.Length > 2 ? Ptr(streams[2]) : null,
        };
        KernelLoop.Run(kernel, Count);
    }
}
