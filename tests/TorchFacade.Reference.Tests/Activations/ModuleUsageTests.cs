using FluentAssertions;
using TorchFacade.Reference.Activations;
using TorchFacade.Testing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>The reference activations used as modules in a model: forward, backward through the custom autograd function, training.</summary>
public sealed class ModuleUsageTests
{
    [Fact]
    public void ASmallModelBackpropagatesLikeTheSameModelWithLibTorchActivations()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var reference = nn.Sequential(("fc1", nn.Linear(5, 8)), ("act1", new GELU("tanh")), ("fc2", nn.Linear(8, 6)), ("act2", new SiLU()), ("fc3", nn.Linear(6, 4)), ("soft", new LogSoftmax(1)));
        var libtorch = nn.Sequential(("fc1", nn.Linear(5, 8)), ("act1", nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh)), ("fc2", nn.Linear(8, 6)), ("act2", nn.SiLU()), ("fc3", nn.Linear(6, 4)), ("soft", nn.LogSoftmax(1)));
        libtorch.load_state_dict(reference.state_dict());
        var x = randn(16, 5);
        var target = randint(0, 4, [16]);

        var lossRef = nn.functional.nll_loss(reference.call(x), target);
        var lossLib = nn.functional.nll_loss(libtorch.call(x), target);
        lossRef.backward();
        lossLib.backward();

        AssertClose.Check(lossRef, lossLib);
        var refGrads = reference.parameters().Select(p => p.grad!).ToList();
        var libGrads = libtorch.parameters().Select(p => p.grad!).ToList();
        refGrads.Should().HaveCount(libGrads.Count);
        for (int i = 0; i < refGrads.Count; i++)
        {
            AssertClose.Check(refGrads[i], libGrads[i]);
        }
    }

    [Fact]
    public void OutputsCarryTheCustomBackwardNode()
    {
        using var scope = NewDisposeScope();
        var x = randn(3).requires_grad_(true);
        var y = new Mish().call(x);
        y.requires_grad.Should().BeTrue();
        y.is_leaf.Should().BeFalse();

        using (no_grad())
        {
            new Mish().call(x).requires_grad.Should().BeFalse();
        }
    }

    [Fact]
    public void PreluTrainsItsWeightWithSgd()
    {
        using var scope = NewDisposeScope();
        var prelu = new PReLU();
        var optimizer = optim.SGD(prelu.parameters(), 0.1);
        var x = tensor(new[] { -2f, -1f, 3f });
        var target = tensor(new[] { -1f, -0.5f, 3f });     // reached with a = 0.5
        for (int step = 0; step < 200; step++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss(prelu.call(x), target).backward();
            optimizer.step();
        }

        prelu.Weight.item<float>().Should().BeApproximately(0.5f, 1e-4f);
    }

    [Fact]
    public void GradientsAccumulateOverTwoBackwardPasses()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.5, -1.5 }, ScalarType.Float64).requires_grad_(true);
        var act = new Sigmoid();
        act.call(x).sum().backward();
        act.call(x).sum().backward();
        double[] g = x.grad!.data<double>().ToArray();
        g[0].Should().BeApproximately(2 * act.Derivative(0.5), 1e-15);
        g[1].Should().BeApproximately(2 * act.Derivative(-1.5), 1e-15);
    }

    [Fact]
    public void Float64AndNonContiguousInputsWork()
    {
        using var scope = NewDisposeScope();
        var baseTensor = randn(new long[] { 6, 4 }, ScalarType.Float64);
        var x = baseTensor.t();
        x.is_contiguous().Should().BeFalse();
        AssertClose.Check(new ELU(0.3).call(x), nn.functional.elu(x, 0.3));
        AssertClose.Check(new Softmax(0).call(x), nn.functional.softmax(x, 0));
        AssertClose.Check(new GLU(0).call(x), nn.functional.glu(x, 0));
    }
}
