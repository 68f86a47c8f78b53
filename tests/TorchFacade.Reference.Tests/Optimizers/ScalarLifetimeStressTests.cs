using System.Globalization;
using FluentAssertions;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>
/// The tensor-op paths of every reference optimizer (and LBFGS, whose line search mixes floats and 0-d tensors) while
/// another thread forces garbage collections back to back. TorchSharp 0.107 turns a <see cref="double"/> argument
/// (<c>alpha</c>, <c>value</c>, a scalar operand) into a <c>Scalar</c> that nothing references during the native call;
/// a collection in that window lets the finalizer free it while LibTorch reads it, and the step fails with
/// <c>ExternalException: Expected false to be true</c> (or reads another value). The optimizers pass explicit scalars
/// held by the step's dispose scope, so no step may fail and every step must equal the same step taken without the
/// collector (bit for bit). <c>TORCHFACADE_SCALAR_STRESS_STEPS</c> raises the step count of the soak.
/// </summary>
public class ScalarLifetimeStressTests(ITestOutputHelper output)
{
    private static readonly int StepsPerOptimizer = int.TryParse(Environment.GetEnvironmentVariable("TORCHFACADE_SCALAR_STRESS_STEPS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 400;

    private static readonly (string Name, Func<torch.Tensor[], ReferenceOptimizer> Create)[] Optimizers =
    [
        ("SGD", ps => new Reference.Optimizers.SGD(ps, lr: 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)),
        ("SGD nesterov", ps => new Reference.Optimizers.SGD(ps, lr: 0.01, momentum: 0.9, weightDecay: 0.01, nesterov: true)),
        ("Adagrad", ps => new Reference.Optimizers.Adagrad(ps, lr: 0.01, lrDecay: 0.01, weightDecay: 0.01)),
        ("RMSprop", ps => new Reference.Optimizers.RMSprop(ps, lr: 0.01, weightDecay: 0.01, momentum: 0.5, centered: true)),
        ("Adam", ps => new Reference.Optimizers.Adam(ps, lr: 0.01, weightDecay: 0.01, amsgrad: true, maximize: true)),
        ("AdamW", ps => new Reference.Optimizers.AdamW(ps, lr: 0.01)),
        ("NAdam", ps => new NAdam(ps, lr: 0.01, weightDecay: 0.01, decoupledWeightDecay: true)),
        ("RAdam", ps => new RAdam(ps, lr: 0.01, weightDecay: 0.01)),
        ("Adamax", ps => new Adamax(ps, lr: 0.01, weightDecay: 0.01)),
        ("Adadelta", ps => new Adadelta(ps, weightDecay: 0.01)),
        ("ASGD", ps => new ASGD(ps, lr: 0.01, t0: 3, weightDecay: 0.01)),
        ("Rprop", ps => new Rprop(ps, lr: 0.01)),
    ];

    [Fact]
    public void TensorOpStepsSurviveCollectionsOnAnotherThreadAndMatchAQuietRun()
    {
        foreach ((string name, Func<torch.Tensor[], ReferenceOptimizer> create) in Optimizers)
        {
            double[] quiet = Run(create, StepsPerOptimizer, collector: false, out _);
            double[] stressed = Run(create, StepsPerOptimizer, collector: true, out int collections);
            output.WriteLine($"{name}: {StepsPerOptimizer} steps, {collections} forced collections on another thread");
            stressed.Should().Equal(quiet, $"{name}'s tensor-op steps under forced collections must equal the quiet run");
        }
    }

    [Fact]
    public void LbfgsWithStrongWolfeSurvivesCollectionsOnAnotherThreadAndMatchesAQuietRun()
    {
        double[] quiet = RunLbfgs(Math.Max(1, StepsPerOptimizer / 20), collector: false, out _);
        double[] stressed = RunLbfgs(Math.Max(1, StepsPerOptimizer / 20), collector: true, out int collections);
        output.WriteLine($"LBFGS: {Math.Max(1, StepsPerOptimizer / 20)} steps (strong_wolfe), {collections} forced collections on another thread");
        stressed.Should().Equal(quiet);
    }

    private static double[] Run(Func<torch.Tensor[], ReferenceOptimizer> create, int steps, bool collector, out int collections)
    {
        torch.Tensor p = torch.linspace(-1, 1, 33, dtype: torch.ScalarType.Float64).requires_grad_(true);
        torch.Tensor target = torch.linspace(0.5, -0.5, 33, dtype: torch.ScalarType.Float64);
        using ReferenceOptimizer opt = create([p]);
        opt.Path = UpdatePath.TensorOps;
        using (new Collector(collector, out Func<int> count))
        {
            for (int step = 0; step < steps; step++)
            {
                using var scope = torch.NewDisposeScope();
                using (torch.no_grad())
                {
                    p.grad = p.detach().sub(target).mul(torch.cos(p.detach()));
                }

                opt.Step();
            }

            collections = count();
        }

        return p.data<double>().ToArray();
    }

    private static double[] RunLbfgs(int steps, bool collector, out int collections)
    {
        torch.Tensor p = torch.linspace(-1.5, 2, 9, dtype: torch.ScalarType.Float64).requires_grad_(true);
        torch.Tensor center = torch.linspace(1, -1, 9, dtype: torch.ScalarType.Float64);
        // The test's own ops make no implicit Scalar either (TorchSharp's square() and one-argument add() make one): it would be exposed to the collector too.
        torch.Tensor tenth = torch.tensor(0.1, dtype: torch.ScalarType.Float64), half = torch.tensor(0.5, dtype: torch.ScalarType.Float64);
        using var opt = new LBFGS([p], lr: 1, maxIter: 10, historySize: 4, lineSearchFn: "strong_wolfe");
        torch.Tensor Closure()
        {
            opt.ZeroGrad();
            torch.Tensor d = p.sub(center), q = p.mul(p);
            torch.Tensor loss = d.mul(d).sum().add(q.mul(q).sum().mul(tenth), alpha: KeptScalars.One);
            loss.backward();
            return loss;
        }

        using (new Collector(collector, out Func<int> count))
        {
            for (int step = 0; step < steps; step++)
            {
                using var scope = torch.NewDisposeScope();
                using (torch.no_grad())
                {
                    p.add_(torch.sin(p.detach()).mul(half), alpha: KeptScalars.One);
                }

                opt.Step(Closure);
            }

            collections = count();
        }

        return p.data<double>().ToArray();
    }

    /// <summary>A thread that forces blocking collections back to back until disposed (the finalizer thread frees what they find).</summary>
    private sealed class Collector : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Thread? thread;
        private int collections;

        public Collector(bool enabled, out Func<int> count)
        {
            count = () => Volatile.Read(ref collections);
            if (!enabled)
            {
                return;
            }

            thread = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    // Young-generation collections: cheap enough to land often inside a step, and the temporaries are young.
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                    Interlocked.Increment(ref collections);
                }
            }) { IsBackground = true };
            thread.Start();
        }

        public void Dispose()
        {
            stop.Cancel();
            thread?.Join();
            stop.Dispose();
        }
    }
}
