using FluentAssertions;
using TorchFacade.Conformance;
using TorchFacade.Conformance.Cases.Optimizers;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>StateDict/LoadStateDict round trips, state transfer between the reference and the built-in, null-grad skipping and learning-rate changes.</summary>
public class StateAndSemanticsTests
{
    public static TheoryData<int> Configs()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < OptimizerGrid.All.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void StateDictRoundTripsAndResumesTheSameTrajectory(int config)
    {
        OptimizerSpec spec = OptimizerGrid.All[config];
        var problem = new OptimizerProblem(7, 12);
        torch.Tensor[] ps = problem.CreateParameters(torch.ScalarType.Float64, torch.CPU);
        using ReferenceOptimizer opt = spec.CreateReference(ps);
        Run(problem, ps, opt, 0, 6);
        OptimizerStateDict saved = opt.StateDict();
        double[][] savedValues = ps.Select(Compare.ToDoubles).ToArray();
        Run(problem, ps, opt, 6, 12);
        double[][] first = ps.Select(Compare.ToDoubles).ToArray();

        torch.Tensor[] resumed = problem.CreateParameters(torch.ScalarType.Float64, torch.CPU);
        using (torch.no_grad())
        {
            for (int k = 0; k < resumed.Length; k++)
            {
                resumed[k].copy_(torch.tensor(savedValues[k]).reshape(resumed[k].shape));
            }
        }

        using ReferenceOptimizer fresh = spec.CreateReference(resumed);
        fresh.LoadStateDict(saved);
        Run(problem, resumed, fresh, 6, 12);
        for (int k = 0; k < ps.Length; k++)
        {
            Compare.ToDoubles(resumed[k]).Should().Equal(first[k], $"parameter {k} after resuming from the state dict ({spec.Label})");
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.SGD)]
    [InlineData(OptimizerKind.RMSprop)]
    public void ReferenceStateLoadsIntoTheBuiltInAndBothContinueAlike(OptimizerKind kind)
    {
        var spec = new OptimizerSpec(kind) { Lr = 0.05, Momentum = kind == OptimizerKind.Adam ? 0 : 0.9, Amsgrad = kind == OptimizerKind.Adam };
        var problem = new OptimizerProblem(11, 10);
        torch.Tensor[] a = problem.CreateParameters(torch.ScalarType.Float64, torch.CPU);
        torch.Tensor[] b = problem.CreateParameters(torch.ScalarType.Float64, torch.CPU);
        using ReferenceOptimizer reference = spec.CreateReference(a);
        using BuiltInOptimizer builtIn = spec.CreateFacadeBuiltIn(b);
        Run(problem, a, reference, 0, 5);
        using (torch.no_grad())
        {
            for (int k = 0; k < a.Length; k++)
            {
                b[k].copy_(a[k]);
            }
        }

        builtIn.LoadStateDict(reference.StateDict());
        Run(problem, a, reference, 5, 10);
        Run(problem, b, builtIn, 5, 10);
        for (int k = 0; k < a.Length; k++)
        {
            Compare.Close(b[k], a[k], OptimizerCases.Float64Trajectory).Outcome.Should().Be(CaseOutcome.Passed, $"parameter {k}");
        }
    }

    [Fact]
    public void LoadStateDictRejectsMismatchedShapesAndGroups()
    {
        using var a = new Adam([torch.ones(3).requires_grad_(true)]);
        using var b = new Adam([torch.ones(4).requires_grad_(true)]);
        using var c = new Adam([torch.ones(3).requires_grad_(true), torch.ones(3).requires_grad_(true)]);
        a.ParamGroups[0].Params[0].grad = torch.ones(3);
        a.Step();
        FluentActions.Invoking(() => b.LoadStateDict(a.StateDict())).Should().Throw<TorchException>().WithMessage("*shape [3]*[4]*").Which.PyTorchType.Should().Be("RuntimeError");
        FluentActions.Invoking(() => c.LoadStateDict(a.StateDict())).Should().Throw<TorchException>().WithMessage("*loaded state dict contains a parameter group that doesn't match the size of optimizer's group*").Which.PyTorchType.Should().Be("ValueError");
    }

    [Fact]
    public void StateDictIsACopyInPyTorchsShape()
    {
        torch.Tensor p = torch.ones(3).requires_grad_(true);
        using var adam = new Adam([p], lr: 0.1, amsgrad: true);
        adam.StateDict().State.Should().BeEmpty("PyTorch creates Adam's state at the first step");
        p.grad = torch.ones(3);
        adam.Step();
        OptimizerStateDict sd = adam.StateDict();
        sd.State[0].Keys.Should().BeEquivalentTo("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");
        sd.ParamGroups[0]["params"].Should().BeEquivalentTo(new object[] { 0L });
        sd.ParamGroups[0]["betas"].Should().BeEquivalentTo(new object[] { 0.9, 0.999 });
        double before = Compare.ToDoubles((torch.Tensor)sd.State[0]["exp_avg"]!)[0];
        adam.Step();
        Compare.ToDoubles((torch.Tensor)sd.State[0]["exp_avg"]!)[0].Should().Be(before, "the state dict holds copies");
    }

    [Fact]
    public void LearningRateChangeScalesTheWholeMomentumBuffer()
    {
        // Erratum 10: lr 0.1 then 0.01 gives x₂ = 0.47125 (the classic form v ← γv + ηg would give 0.10675).
        torch.Tensor x = torch.ones(4, dtype: torch.ScalarType.Float64).requires_grad_(true);
        using var sgd = new SGD([x], 0.1, momentum: 0.9);
        foreach (double lr in new[] { 0.1, 0.01 })
        {
            sgd.ParamGroups[0].Lr = lr;
            sgd.ZeroGrad();
            torch.Tensor y = x + 2;
            (y * y * 3).mean().backward();
            sgd.Step();
        }

        Compare.ToDoubles(x).Should().AllSatisfy(v => v.Should().BeApproximately(0.47125, 1e-15));
    }

    [Fact]
    public void AdagradCreatesItsStateInTheConstructorWithTheInitialAccumulator()
    {
        torch.Tensor p = torch.ones(2).requires_grad_(true);
        using var adagrad = new Adagrad([p], initialAccumulatorValue: 0.5);
        var state = adagrad.StateOf(p);
        Compare.ToDoubles(state["sum"]).Should().Equal(0.5, 0.5);
        Compare.ToDoubles(state["step"]).Should().Equal(0.0);
    }

    [Fact]
    public void StateSurvivesADisposeScopeAroundStep()
    {
        torch.Tensor p = torch.ones(2).requires_grad_(true);
        using var adam = new Adam([p]);
        using (torch.NewDisposeScope())
        {
            p.grad = torch.ones(2);
            adam.Step();
        }

        FluentActions.Invoking(() => Compare.ToDoubles(adam.StateOf(p)["exp_avg"])).Should().NotThrow();
        p.grad = torch.ones(2);
        FluentActions.Invoking(() => adam.Step()).Should().NotThrow();
    }

    private static void Run(OptimizerProblem problem, torch.Tensor[] ps, Optimizer opt, int from, int to)
    {
        for (int step = from; step < to; step++)
        {
            using var scope = torch.NewDisposeScope();
            problem.SetGrads(ps, step);
            opt.Step();
        }
    }
}
