using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Errors;

/// <summary>
/// A disposed TorchSharp module given to a facade member raises <see cref="ObjectDisposedException"/> naming what was
/// disposed: managed modules (<c>Linear</c>, <c>Conv2d</c>) keep their native handle open after <c>Dispose</c> and their
/// <c>parameters()</c> then yields nothing, so without the check <c>LoadStateDict</c> answered "Unexpected key(s)".
/// </summary>
public class DisposedModuleTests
{
    private static Dictionary<string, torch.Tensor> LinearState(string prefix = "") =>
        new() { [prefix + "weight"] = torch.ones(2, 3), [prefix + "bias"] = torch.ones(2) };

    [Fact]
    public void DisposedLinearIsNamedNotReportedAsUnexpectedKeys()
    {
        var linear = torch.nn.Linear(3, 2);
        linear.Dispose();

        // The fact the check rests on: TorchSharp's own view of the disposed module is empty.
        linear.parameters().Should().BeEmpty();

        Action load = () => linear.LoadStateDict(LinearState());
        var ex = load.Should().Throw<ObjectDisposedException>().Which;
        string first = ex.Message.Split('\n')[0];
        first.Should().StartWith("LoadStateDict: the module Linear has been disposed");
        first.Should().Contain("'weight'");
        first.Should().NotContain("Parameter '");
        ex.ObjectName.Should().Be("Linear");
    }

    [Fact]
    public void DisposedLinearRaisesFromTheObjectOverloadAndNonStrictToo()
    {
        var linear = torch.nn.Linear(3, 2);
        linear.Dispose();
        var state = LinearState().ToDictionary(p => p.Key, p => (object?)p.Value);

        ((Action)(() => linear.LoadStateDict(state))).Should().Throw<ObjectDisposedException>().WithMessage("LoadStateDict: the module Linear*");
        ((Action)(() => linear.LoadStateDict(LinearState(), strict: false))).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void DisposedConv2dAndBatchNormAreRefused()
    {
        var conv = torch.nn.Conv2d(1, 1, 3);
        conv.Dispose();
        ((Action)(() => conv.LoadStateDict(new Dictionary<string, torch.Tensor>()))).Should().Throw<ObjectDisposedException>().WithMessage("*Conv2d*");

        var norm = torch.nn.BatchNorm1d(3);
        norm.Dispose();
        ((Action)(() => norm.LoadStateDict(new Dictionary<string, torch.Tensor>()))).Should().Throw<ObjectDisposedException>().WithMessage("*BatchNorm1d*native module is freed*");
    }

    [Fact]
    public void DisposedSequentialAndDisposedChildAreNamed()
    {
        var sequential = torch.nn.Sequential(("fc", torch.nn.Linear(3, 2)), ("act", torch.nn.ReLU()));
        sequential.Dispose();
        ((Action)(() => sequential.LoadStateDict(LinearState("fc.")))).Should().Throw<ObjectDisposedException>().WithMessage("LoadStateDict: the module Sequential has been disposed*");

        var fc = torch.nn.Linear(3, 2);
        var parent = torch.nn.Sequential(("fc", fc), ("act", torch.nn.ReLU()));
        fc.Dispose();
        var ex = ((Action)(() => parent.LoadStateDict(LinearState("fc.")))).Should().Throw<ObjectDisposedException>().Which;
        ex.Message.Should().Contain("'fc.weight'").And.Contain("submodule 'fc'");
    }

    [Fact]
    public void LiveModulesWithoutBiasBuffersOrParametersStillLoad()
    {
        using var scope = torch.NewDisposeScope();
        var noBias = torch.nn.Linear(3, 2, hasBias: false);
        noBias.LoadStateDict(new Dictionary<string, torch.Tensor> { ["weight"] = torch.full(2, 3, 7f) }).MissingKeys.Should().BeEmpty();
        noBias.weight.data<float>().ToArray().Should().AllSatisfy(v => v.Should().Be(7f));

        var relu = torch.nn.ReLU();
        relu.LoadStateDict(new Dictionary<string, torch.Tensor>()).UnexpectedKeys.Should().BeEmpty();

        var norm = torch.nn.BatchNorm1d(3);
        var state = norm.state_dict().ToDictionary(p => p.Key, p => torch.full_like(p.Value, 2));
        norm.LoadStateDict(state);
        norm.running_mean!.data<float>().ToArray().Should().Equal(2f, 2f, 2f);
    }
}
