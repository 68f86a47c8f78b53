using FluentAssertions;
using TorchFacade.Optim;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace TorchFacade.Tests.Optim;

/// <summary>The seed's two ways of clearing grads, accumulation, and PyTorch 2.x's zero_grad(set_to_none=True) default vs TorchSharp's.</summary>
public class ZeroGradTests
{
    [Fact]
    public void ZeroGradSetsGradsToNullByDefault()
    {
        torch.Tensor x = torch.ones(2, 2).requires_grad_(true);
        using BuiltInOptimizer sgd = BuiltInOptimizers.SGD([x], lr: 0.1);
        SeedLoss.Backward(x);
        sgd.ZeroGrad();
        x.grad.Should().BeNull();
    }

    [Fact]
    public void ZeroGradWithoutSetToNoneFillsZeros()
    {
        torch.Tensor x = torch.ones(2, 2).requires_grad_(true);
        using BuiltInOptimizer sgd = BuiltInOptimizers.SGD([x], lr: 0.1);
        SeedLoss.Backward(x);
        sgd.ZeroGrad(setToNone: false);
        SeedLoss.Values(x.grad!).Should().Equal(0f, 0f, 0f, 0f);
    }

    [Fact]
    public void TorchSharpsOwnZeroGradFillsZerosInsteadOfNull()
    {
        // Pinned divergence: PyTorch 2.x's optimizer.zero_grad() leaves None; TorchSharp 0.107's leaves zero tensors.
        var p = new Parameter(torch.ones(2, 2));
        using var sgd = torch.optim.SGD([p], 0.1);
        SeedLoss.Backward(p);
        sgd.zero_grad();
        p.grad.Should().NotBeNull();
        SeedLoss.Values(p.grad!).Should().Equal(0f, 0f, 0f, 0f);
    }

    [Fact]
    public void GradsAccumulateWhenNotZeroed()
    {
        torch.Tensor x = torch.ones(2, 2).requires_grad_(true);
        SeedLoss.Backward(x);
        SeedLoss.Backward(x);
        SeedLoss.Values(x.grad!).Should().Equal(9f, 9f, 9f, 9f);
    }

    [Fact]
    public void GradDataZeroFormClearsInPlace()
    {
        // The seed's `x.grad.data.zero_()`.
        torch.Tensor x = torch.ones(2, 2).requires_grad_(true);
        SeedLoss.Backward(x);
        x.grad!.zero_();
        SeedLoss.Values(x.grad!).Should().Equal(0f, 0f, 0f, 0f);
        SeedLoss.Backward(x);
        SeedLoss.Values(x.grad!).Should().Equal(4.5f, 4.5f, 4.5f, 4.5f);
    }

    [Fact]
    public void OptimizerZeroGradFormGivesFreshGradsEachEpoch()
    {
        torch.Tensor x = torch.ones(2, 2).requires_grad_(true);
        using BuiltInOptimizer sgd = BuiltInOptimizers.SGD([x], lr: 0.1, momentum: 0.9);
        float[] grads = new float[5];
        for (int epoch = 0; epoch < 5; epoch++)
        {
            sgd.ZeroGrad();
            SeedLoss.Backward(x);
            grads[epoch] = SeedLoss.Values(x.grad!)[0];
            sgd.Step();
        }

        grads.Should().Equal([4.5f, 3.825f, 2.64375f, 1.184063f, -0.3072656f], (a, b) => Math.Abs(a - b) < 2e-6f);
        SeedLoss.Values(x)[0].Should().BeApproximately(-3.068914f, 2e-6f);
    }
}
