using FluentAssertions;
using TorchFacade.Conformance;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>Parameter groups, frozen parameters, Step(closure), Dispose, and PyTorch-layout state dicts (incl. a PyTorch 2.6 checkpoint).</summary>
public class ParamGroupAndStateDictTests
{
    private static torch.Tensor P(params double[] v) => torch.tensor(v).requires_grad_(true);

    [Fact]
    public void EachGroupUsesItsOwnOptionsAndDefaultsFillTheRest()
    {
        torch.Tensor a = P(1, 2), b = P(3, 4);
        using var sgd = new SGD([new ParamGroup([a]), new ParamGroup([b]) { Lr = 0.5, ["momentum"] = 0.9 }], lr: 0.1);
        sgd.ParamGroups[0]["momentum"].Should().Be(0.0);
        sgd.ParamGroups[1]["momentum"].Should().Be(0.9);
        a.grad = torch.ones(2, dtype: torch.ScalarType.Float64);
        b.grad = torch.ones(2, dtype: torch.ScalarType.Float64);
        sgd.Step();
        Compare.ToDoubles(a).Should().Equal(0.9, 1.9);
        Compare.ToDoubles(b).Should().Equal(2.5, 3.5);
        FluentActions.Invoking(() => new SGD([new ParamGroup([P(1)]) { ["momentun"] = 0.9 }])).Should().Throw<ArgumentException>().WithMessage("*Unknown option 'momentun'*");
    }

    [Fact]
    public void AddParamGroupWorksOnTheBuiltInWrapperToo()
    {
        torch.Tensor a = P(1, 2), b = P(3, 4);
        using BuiltInOptimizer sgd = BuiltInOptimizers.SGD([a], lr: 0.1);
        sgd.AddParamGroup(new ParamGroup([b]) { Lr = 0.5 });
        sgd.ParamGroups.Should().HaveCount(2);
        a.grad = torch.ones(2, dtype: torch.ScalarType.Float64);
        b.grad = torch.ones(2, dtype: torch.ScalarType.Float64);
        sgd.Step();
        Compare.ToDoubles(a).Should().Equal(0.9, 1.9);
        Compare.ToDoubles(b).Should().Equal(2.5, 3.5);
    }

    [Fact]
    public void FrozenParametersAreSkippedExactlyWhileTheirGradIsNull()
    {
        torch.Tensor live = P(1), frozen = torch.tensor(new double[] { 5 });
        using var adam = new Adam([live, frozen], lr: 0.1);
        live.grad = torch.ones(1, dtype: torch.ScalarType.Float64);
        adam.Step();
        Compare.ToDoubles(frozen).Should().Equal(5.0);
        adam.StateOf(frozen).Should().BeEmpty();
        frozen.grad = torch.ones(1, dtype: torch.ScalarType.Float64);
        adam.Step();
        Compare.ToDoubles(frozen)[0].Should().BeApproximately(4.9, 1e-8, "PyTorch updates a frozen tensor given a grad by hand");
    }

    [Fact]
    public void StepRunsTheClosureWithGradAndReturnsItsLoss()
    {
        torch.Tensor x = P(3);
        using var sgd = new SGD([x], lr: 0.1);
        torch.Tensor? loss;
        using (torch.no_grad())
        {
            loss = sgd.Step(() =>
            {
                sgd.ZeroGrad();
                torch.Tensor l = (x * x).sum();
                l.backward();
                return l;
            });
        }

        loss!.item<double>().Should().Be(9);
        Compare.ToDoubles(x)[0].Should().BeApproximately(2.4, 1e-12);
        sgd.Step().Should().BeNull();
    }

    [Fact]
    public void EveryUseAfterDisposeNamesTheOptimizer()
    {
        var adam = new NAdam([P(1)]);
        adam.Dispose();
        adam.Dispose();
        foreach (Action use in new Action[] { () => adam.Step(), () => adam.ZeroGrad(), () => adam.StateDict(), () => _ = adam.ParamGroups, () => adam.AddParamGroup([P(2)]), () => adam.LoadStateDict(new OptimizerStateDict { State = new Dictionary<int, IReadOnlyDictionary<string, object?>>(), ParamGroups = [] }) })
        {
            FluentActions.Invoking(use).Should().Throw<ObjectDisposedException>().WithMessage("*NAdam*");
        }

        using BuiltInOptimizer builtIn = BuiltInOptimizers.Adam([P(1)]);
        builtIn.Dispose();
        FluentActions.Invoking(() => builtIn.Step()).Should().Throw<ObjectDisposedException>().WithMessage("*Adam*");
    }

    [Fact]
    public void StateDictIsPyTorchsDictionaryWithEveryKey()
    {
        torch.Tensor p = P(1, 2);
        using var adam = new Adam([p]);
        p.grad = torch.ones(2, dtype: torch.ScalarType.Float64);
        adam.Step();
        IReadOnlyDictionary<string, object?> sd = adam.StateDict();
        sd.Keys.Should().Equal("state", "param_groups");
        var state = (IReadOnlyDictionary<object, object?>)sd["state"]!;
        state.Keys.Should().Equal(0L);
        var group = (IReadOnlyDictionary<string, object?>)((IReadOnlyList<object?>)sd["param_groups"]!)[0]!;
        group.Keys.Should().Equal("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable", "differentiable", "fused", "params");
        group["foreach"].Should().BeNull();
        ((IReadOnlyList<object?>)group["params"]!).Should().Equal(0L);
    }

    [Fact]
    public void LoadStateDictRejectsUnknownStateWrongShapesCountsAndKeysButTakesSchedulerKeys()
    {
        torch.Tensor p = P(1, 2);
        using var adam = new Adam([p]);
        p.grad = torch.ones(2, dtype: torch.ScalarType.Float64);
        adam.Step();
        OptimizerStateDict good = adam.StateDict();

        OptimizerStateDict With(string key, object? value, bool inGroup = false) => new()
        {
            State = inGroup ? good.State : new Dictionary<int, IReadOnlyDictionary<string, object?>> { [0] = new Dictionary<string, object?>(good.State[0]) { [key] = value } },
            ParamGroups = inGroup ? [new Dictionary<string, object?>(good.ParamGroups[0]) { [key] = value }] : good.ParamGroups,
        };

        FluentActions.Invoking(() => adam.LoadStateDict(With("exp_avgg", torch.zeros(2)))).Should().Throw<TorchException>().WithMessage("*'exp_avgg'*does not keep*").Which.PyTorchType.Should().Be("KeyError");
        FluentActions.Invoking(() => adam.LoadStateDict(With("exp_avg", torch.zeros(3)))).Should().Throw<TorchException>().WithMessage("*shape [3]*[2]*").Which.PyTorchType.Should().Be("RuntimeError");
        FluentActions.Invoking(() => adam.LoadStateDict(With("step", "one"))).Should().Throw<TorchException>().WithMessage("*'step'*number*").Which.PyTorchType.Should().Be("TypeError");
        FluentActions.Invoking(() => adam.LoadStateDict(With("momentum", 0.9, inGroup: true))).Should().Throw<TorchException>().WithMessage("*'momentum'*does not have*").Which.PyTorchType.Should().Be("ValueError");
        FluentActions.Invoking(() => adam.LoadStateDict(With("params", new List<object?> { 0L, 1L }, inGroup: true))).Should().Throw<TorchException>().WithMessage("*loaded state dict contains a parameter group that doesn't match the size*").Which.PyTorchType.Should().Be("ValueError");
        double before = Compare.ToDoubles((torch.Tensor)adam.StateDict().State[0]["exp_avg"]!)[0];
        Compare.ToDoubles((torch.Tensor)adam.StateDict().State[0]["exp_avg"]!)[0].Should().Be(before, "a rejected state dict changes nothing");
        adam.LoadStateDict(With("initial_lr", 0.5, inGroup: true));
        adam.ParamGroups[0]["initial_lr"].Should().Be(0.5);
    }

    [Fact]
    public void APyTorchCheckpointsOptimizerStateResumesHere()
    {
        string? path = FindFixture("optim/adamw_two_groups.pt");
        if (path is null)
        {
            return;
        }

        var saved = (IReadOnlyDictionary<string, object?>)Torch.Load(path)!;
        var ps = ((IReadOnlyList<object?>)saved["params"]!).Cast<torch.Tensor>().Select(t => t.clone().requires_grad_(true)).ToArray();
        var next = ((IReadOnlyList<object?>)saved["next"]!).Cast<torch.Tensor>().ToArray();
        using var opt = new AdamW([new ParamGroup([ps[0]]), new ParamGroup([ps[1]])], amsgrad: true);
        opt.LoadStateDict((IReadOnlyDictionary<string, object?>)saved["optimizer"]!);
        opt.ParamGroups[1].Lr.Should().BeApproximately(0.005, 1e-15);
        opt.ParamGroups[1]["initial_lr"].Should().Be(0.05);
        using (torch.no_grad())
        {
            foreach (torch.Tensor p in ps)
            {
                p.grad = p.detach().mul(0.5).add(0.1);
            }
        }

        opt.Step();
        for (int k = 0; k < ps.Length; k++)
        {
            Compare.ToDoubles(ps[k]).Should().Equal(Compare.ToDoubles(next[k]), $"parameter {k} after PyTorch's state resumed, bit for bit");
        }
    }

    private static string? FindFixture(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
