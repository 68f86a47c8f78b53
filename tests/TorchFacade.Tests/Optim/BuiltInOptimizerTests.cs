using FluentAssertions;
using TorchFacade.Optim;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace TorchFacade.Tests.Optim;

/// <summary>The facade's wrappers over TorchSharp's built-ins: PyTorch's defaults and maximize, plain tensors, param groups, state dicts.</summary>
public class BuiltInOptimizerTests
{
    [Fact]
    public void TorchSharpsParameterConstructorInvalidatesTheCallersTensor()
    {
        // Pinned divergence: PyTorch's optimizers take any leaf tensor; TorchSharp's `new Parameter(t)` takes over t's handle.
        torch.Tensor t = torch.ones(3).requires_grad_(true);
        using var p = new Parameter(t);
        t.IsInvalid.Should().BeTrue();
    }

    [Fact]
    public void TheFacadeTakesPlainTensorsAndUpdatesThemInPlace()
    {
        torch.Tensor x = torch.ones(2, 2).requires_grad_(true);
        using BuiltInOptimizer sgd = BuiltInOptimizers.SGD([x], lr: 0.1);
        sgd.ZeroGrad();
        SeedLoss.Backward(x);
        sgd.Step();
        x.IsInvalid.Should().BeFalse();
        sgd.ParamGroups[0].Params[0].Should().BeSameAs(x);
        SeedLoss.Values(x).Should().AllSatisfy(v => v.Should().BeApproximately(0.55f, 1e-7f));
        x.grad.Should().NotBeNull("the caller's grad is left alone by Step");
    }

    [Fact]
    public void AParameterIsUsedAsItIsAndMaximizeLeavesItsGradUntouched()
    {
        var p = new Parameter(torch.ones(4));
        using BuiltInOptimizer sgd = BuiltInOptimizers.SGD([p], lr: 0.1, maximize: true);
        SeedLoss.Backward(p);
        sgd.Step();
        SeedLoss.Values(p).Should().AllSatisfy(v => v.Should().BeApproximately(1.45f, 1e-6f));
        SeedLoss.Values(p.grad!).Should().Equal(4.5f, 4.5f, 4.5f, 4.5f);
    }

    [Fact]
    public void SgdMaximizeWithWeightDecayFollowsPyTorchNotTorchSharp()
    {
        // x = 1, g = 4.5, lr = 0.1, wd = 0.1. PyTorch: g' = −4.5 + 0.1·1 = −4.4, x = 1.44.
        // TorchSharp: g' = 4.5 + 0.1 = 4.6, then x += lr·g' = 1.46 (the decay pushes away from 0). Pinned below.
        torch.Tensor x = torch.ones(4).requires_grad_(true);
        using BuiltInOptimizer facade = BuiltInOptimizers.SGD([x], lr: 0.1, weightDecay: 0.1, maximize: true);
        SeedLoss.Backward(x);
        facade.Step();
        SeedLoss.Values(x).Should().AllSatisfy(v => v.Should().BeApproximately(1.44f, 1e-6f));

        var p = new Parameter(torch.ones(4));
        using var raw = torch.optim.SGD([p], 0.1, weight_decay: 0.1, maximize: true);
        SeedLoss.Backward(p);
        raw.step();
        SeedLoss.Values(p).Should().AllSatisfy(v => v.Should().BeApproximately(1.46f, 1e-6f));
    }

    [Fact]
    public void AdagradGetsMaximizeWhichTorchSharpLacks()
    {
        // x = 1, g = 4.5 negated: sum = 20.25, x = 1 − 0.1·(−4.5)/4.5 = 1.1.
        torch.Tensor x = torch.ones(4).requires_grad_(true);
        using BuiltInOptimizer adagrad = BuiltInOptimizers.Adagrad([x], lr: 0.1, maximize: true);
        SeedLoss.Backward(x);
        adagrad.Step();
        SeedLoss.Values(x).Should().AllSatisfy(v => v.Should().BeApproximately(1.1f, 1e-6f));
    }

    [Fact]
    public void DefaultsArePyTorchs()
    {
        torch.Tensor x = torch.ones(1).requires_grad_(true);
        BuiltInOptimizers.SGD([x]).ParamGroups[0].Lr.Should().Be(1e-3);
        BuiltInOptimizers.AdamW([x]).ParamGroups[0]["weight_decay"].Should().Be(1e-2);
        BuiltInOptimizers.Adam([x]).ParamGroups[0]["betas"].Should().Be((0.9, 0.999));
        BuiltInOptimizers.Adagrad([x]).ParamGroups[0]["eps"].Should().Be(1e-10);
        BuiltInOptimizers.RMSprop([x]).ParamGroups[0]["alpha"].Should().Be(0.99);
    }

    [Fact]
    public void TorchSharpsAdamWDefaultsToNoWeightDecay()
    {
        // Pinned divergence: PyTorch's AdamW default weight_decay is 1e-2; TorchSharp 0.107's is 0.
        var p = new Parameter(torch.ones(2));
        using var adamw = torch.optim.AdamW([p]);
        var group = adamw.ParamGroups.Cast<TorchSharp.Modules.ParamGroup>().Single();
        ((AdamW.Options)group.Options).weight_decay.Should().Be(0);
    }

    [Fact]
    public void LearningRateChangesReachTorchSharp()
    {
        torch.Tensor x = torch.ones(4, dtype: torch.ScalarType.Float64).requires_grad_(true);
        using BuiltInOptimizer sgd = BuiltInOptimizers.SGD([x], lr: 0.1, momentum: 0.9);
        foreach (double lr in new[] { 0.1, 0.01 })
        {
            sgd.ParamGroups[0].Lr = lr;
            sgd.ZeroGrad();
            SeedLoss.Backward(x);
            sgd.Step();
        }

        x.detach().data<double>().ToArray().Should().AllSatisfy(v => v.Should().BeApproximately(0.47125, 1e-15));
    }

    [Fact]
    public void NullGradParametersAreSkipped()
    {
        torch.Tensor a = torch.ones(3).requires_grad_(true);
        torch.Tensor b = torch.ones(3).requires_grad_(true);
        using BuiltInOptimizer adam = BuiltInOptimizers.Adam([a, b], lr: 0.1);
        (a * a).sum().backward();
        adam.Step();
        SeedLoss.Values(b).Should().Equal(1f, 1f, 1f);
        SeedLoss.Values(adam.StateOf(a)["step"]).Should().Equal(1f);
        adam.StateOf(b).Should().BeEmpty("TorchSharp's zero state at step 0 is reported as no state, as PyTorch has none");
    }

    [Fact]
    public void StateDictRoundTrips()
    {
        torch.Tensor x = torch.linspace(-1, 1, 5).requires_grad_(true);
        using BuiltInOptimizer adam = BuiltInOptimizers.Adam([x], lr: 0.1, amsgrad: true);
        for (int i = 0; i < 3; i++)
        {
            adam.ZeroGrad();
            (x * x).sum().backward();
            adam.Step();
        }

        OptimizerStateDict sd = adam.StateDict();
        float[] saved = SeedLoss.Values(x);
        adam.ZeroGrad();
        (x * x).sum().backward();
        adam.Step();
        float[] next = SeedLoss.Values(x);

        torch.Tensor y = torch.tensor(saved).requires_grad_(true);
        using BuiltInOptimizer resumed = BuiltInOptimizers.Adam([y], lr: 0.5);
        resumed.LoadStateDict(sd);
        resumed.ParamGroups[0].Lr.Should().Be(0.1, "options come back with the state");
        (y * y).sum().backward();
        resumed.Step();
        SeedLoss.Values(y).Should().Equal(next);
    }

    [Fact]
    public void BadArgumentsAreTypedErrorsBeforeLibTorch()
    {
        torch.Tensor x = torch.ones(2).requires_grad_(true);
        FluentActions.Invoking(() => BuiltInOptimizers.SGD([x], lr: -0.1)).Should().Throw<ArgumentException>().WithMessage("*Invalid learning rate: -0.1*");
        FluentActions.Invoking(() => BuiltInOptimizers.Adam([x], betas: (0.9, 1.5))).Should().Throw<ArgumentException>().WithMessage("*Invalid beta parameter at index 1: 1.5*");
        FluentActions.Invoking(() => BuiltInOptimizers.SGD([x], nesterov: true)).Should().Throw<ArgumentException>().WithMessage("*Nesterov momentum requires a momentum and zero dampening*");
        FluentActions.Invoking(() => BuiltInOptimizers.SGD([x * 2])).Should().Throw<ArgumentException>().WithMessage("*can't optimize a non-leaf Tensor*");
        FluentActions.Invoking(() => BuiltInOptimizers.SGD(Array.Empty<torch.Tensor>())).Should().Throw<ArgumentException>().WithMessage("*optimizer got an empty parameter list*");
        using BuiltInOptimizer sgd = BuiltInOptimizers.SGD([x]);
        FluentActions.Invoking(() => sgd.AddParamGroup([x])).Should().Throw<ArgumentException>().WithMessage("*some parameters appear in more than one parameter group*");
        FluentActions.Invoking(() => sgd.StateOf(torch.ones(2))).Should().Throw<ArgumentException>().WithMessage("*not one of the optimizer's parameters*");
        x.grad = torch.ones(3);
        FluentActions.Invoking(() => sgd.Step()).Should().Throw<InvalidOperationException>().WithMessage("*shape [3]*");
    }
}
