using System.Text.Json;
using FluentAssertions;
using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>
/// Optimizer and scheduler <c>LoadStateDict</c> refuse a state dict that does not fit with a <see cref="TorchException"/>
/// of the kind PyTorch 2.6 raises for the same input (tests/fixtures/checkpoints/make_state_dict_errors.py recorded it
/// in state_dict_errors.json), and, where PyTorch raises in load_state_dict itself with a message of its own
/// (KeyError's key, the group-count and group-size ValueErrors, IndexError), with PyTorch's message as
/// <see cref="TorchException.PyTorchMessage"/>. Where PyTorch only fails at the next step, the kind is the one that
/// step raises; where it never fails (an unknown scheduler key), TorchFacade is stricter and raises ValueError.
/// </summary>
[Collection(Interop.PinCountCollection.Name)]
public class StateDictErrorTests
{
    private static readonly JsonElement Golden =
        JsonDocument.Parse(File.ReadAllText(CheckpointFixtures.PathOf("state_dict_errors.json"))).RootElement.GetProperty("cases");

    /// <summary>The cases whose PyTorch message TorchFacade carries verbatim (the others are Python-internal texts such as "'int' object has no attribute 'items'").</summary>
    private static readonly HashSet<string> SameMessage =
        ["optim/group-count", "optim/group-size", "optim/no-param-groups", "optim/no-state", "optim/no-params", "sched/sequential-too-many"];

    public static TheoryData<string> Cases => new(Golden.EnumerateObject().Select(p => p.Name));

    private static torch.Tensor Leaf(int n) => torch.ones(n).requires_grad_(true);

    private static Optimizer Stepped(Optimizer optimizer)
    {
        foreach (torch.Tensor p in optimizer.Parameters)
        {
            p.Grad = torch.ones_like(p);
        }

        optimizer.Step();
        return optimizer;
    }

    private static Optimizer Sgd(double momentum = 0) => BuiltInOptimizers.SGD([Leaf(2)], lr: 0.1, momentum: momentum);

    private static Dictionary<string, object?> Copy(IReadOnlyDictionary<string, object?> d) => d.ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>The C# counterpart of each case of make_state_dict_errors.py.</summary>
    private static Action Case(string name)
    {
        switch (name)
        {
            case "optim/group-count":
                return () => BuiltInOptimizers.Adam([Leaf(2)]).LoadStateDict(BuiltInOptimizers.Adam([new ParamGroup([Leaf(2)]), new ParamGroup([Leaf(2)])]).StateDict());
            case "optim/group-size":
                return () => BuiltInOptimizers.Adam([Leaf(2)]).LoadStateDict(BuiltInOptimizers.Adam([Leaf(2), Leaf(2)]).StateDict());
            case "optim/no-param-groups":
                return () => Sgd().LoadStateDict(new Dictionary<string, object?> { ["state"] = new Dictionary<object, object?>() });
            case "optim/no-state":
            {
                var sd = Copy(Sgd().StateDict());
                sd.Remove("state");
                return () => Sgd().LoadStateDict(sd);
            }

            case "optim/no-params":
            {
                var sd = Copy(Sgd().StateDict());
                var group = Copy((IReadOnlyDictionary<string, object?>)((IReadOnlyList<object?>)sd["param_groups"]!)[0]!);
                group.Remove("params");
                sd["param_groups"] = new List<object?> { group };
                return () => Sgd().LoadStateDict(sd);
            }

            case "optim/param-groups-not-list":
                return () => Sgd().LoadStateDict(new Dictionary<string, object?> { ["state"] = new Dictionary<object, object?>(), ["param_groups"] = 5L });
            case "optim/state-not-dict":
            {
                var sd = Copy(Sgd().StateDict());
                sd["state"] = 5L;
                return () => Sgd().LoadStateDict(sd);
            }

            case "optim/other-optimizer":
                return () => BuiltInOptimizers.Adam([Leaf(2)]).LoadStateDict(Stepped(Sgd(momentum: 0.9)).StateDict());
            case "optim/wrong-shape":
                return () => BuiltInOptimizers.Adam([Leaf(2)]).LoadStateDict(Stepped(BuiltInOptimizers.Adam([Leaf(3)])).StateDict());
            case "sched/wrong-type":
                return () => new StepLR(Sgd(), 2).LoadStateDict(new Dictionary<string, object?> { ["gamma"] = "half" });
            case "sched/unknown-key":
                return () => new StepLR(Sgd(), 2).LoadStateDict(new Dictionary<string, object?> { ["step_sizes"] = 3L });
            case "sched/sequential-too-many":
            {
                Optimizer o = Sgd();
                var s = new SequentialLR(o, [new LinearLR(o), new ExponentialLR(o, 0.9)], [2]);
                var sd = Copy(s.StateDict());
                var children = ((IReadOnlyList<object?>)sd["_schedulers"]!).ToList();
                children.Add(children[0]);
                sd["_schedulers"] = children;
                return () => s.LoadStateDict(sd);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "a case of state_dict_errors.json without a C# counterpart");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LoadStateDictRaisesPyTorchsKind(string name)
    {
        JsonElement golden = Golden.GetProperty(name);
        string? kind = golden.GetProperty("kind").GetString();
        using var scope = torch.NewDisposeScope();
        TorchException thrown = Case(name).Should().Throw<TorchException>().Which;

        // Raised by LoadStateDict itself, before anything changed, with PyTorch's kind — also where PyTorch fails only
        // at the next step (the kind that step raises), and ValueError where PyTorch never fails.
        thrown.PyTorchType.Should().Be(kind ?? PyTorchErrorTypes.ValueError, $"PyTorch 2.6 raises {kind ?? "nothing"} ({golden.GetProperty("when")}) for {name}");
        thrown.Message.Should().Match("*.LoadStateDict: *", "the first line names the member");
        thrown.Message.Should().NotContain("(Parameter '");
        if (SameMessage.Contains(name))
        {
            golden.GetProperty("when").GetString().Should().Be("load");
            thrown.PyTorchMessage.Should().Be(golden.GetProperty("message").GetString());
            thrown.Message.Should().Contain(golden.GetProperty("message").GetString()!.Trim('\''));
        }
    }

    [Fact]
    public void EveryPyTorchCaseHasACSharpCounterpart()
    {
        foreach (JsonProperty p in Golden.EnumerateObject())
        {
            FluentActions.Invoking(() => Case(p.Name)).Should().NotThrow();
        }

        Golden.EnumerateObject().Count().Should().Be(12);
    }

    [Fact]
    public void ARefusedOptimizerStateDictChangesNothing()
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor p = Leaf(2);
        Optimizer sgd = BuiltInOptimizers.SGD([p], lr: 0.1, momentum: 0.9);
        Stepped(sgd);
        var before = (torch.Tensor)sgd.StateDict().State[0]["momentum_buffer"]!;
        var bad = Copy(Stepped(BuiltInOptimizers.SGD([Leaf(3)], lr: 0.5, momentum: 0.9)).StateDict());
        FluentActions.Invoking(() => sgd.LoadStateDict(bad)).Should().Throw<TorchException>().Which.PyTorchType.Should().Be("RuntimeError");
        sgd.ParamGroups[0].Lr.Should().Be(0.1);
        ((torch.Tensor)sgd.StateDict().State[0]["momentum_buffer"]!).allclose(before, rtol: 0, atol: 0).Should().BeTrue();
    }
}
