using FluentAssertions;
using TorchFacade.Reference.Layers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Layers;

public sealed class FeedForwardTests
{
    [Fact]
    public void Relu_ffn_by_hand()
    {
        using var scope = torch.NewDisposeScope();
        using var block = new FeedForward(2, 2, dtype: torch.float64);
        using (torch.no_grad())
        {
            block.W1.weight!.copy_(torch.tensor(new double[] { 1, -1, 2, 0 }).reshape(2, 2));
            block.W1.bias!.copy_(torch.tensor(new double[] { 0, -5 }));
            block.W2.weight!.copy_(torch.tensor(new double[] { 1, 1, 0, 3 }).reshape(2, 2));
            block.W2.bias!.copy_(torch.tensor(new double[] { 0.5, 0 }));
        }

        // x = [3, 1]: xW1ᵀ + b1 = [2, 1] → relu [2, 1] → W2: [3 + 0.5, 3] = [3.5, 3]
        var y = block.forward(torch.tensor(new double[] { 3, 1 }).reshape(1, 2));
        y.data<double>().ToArray().Should().Equal(3.5, 3);
    }

    [Fact]
    public void Gated_block_gates_the_w_projection()
    {
        using var scope = torch.NewDisposeScope();
        using var block = new GatedFeedForward(1, 1, GatedVariant.ReGlu, dtype: torch.float64);
        using (torch.no_grad())
        {
            block.W.weight!.fill_(-1.0);
            block.V.weight!.fill_(2.0);
            block.W2.weight!.fill_(1.0);
        }

        // x = 3: act(xW) = relu(−3) = 0 → output 0; with the roles swapped it would be relu(6)·(−3) = −18.
        block.forward(torch.tensor(new double[] { 3 }).reshape(1, 1)).item<double>().Should().Be(0);
        block.forward(torch.tensor(new double[] { -3 }).reshape(1, 1)).item<double>().Should().Be(3 * -6);
    }

    [Fact]
    public void Parameters_are_registered_like_pytorch_modules()
    {
        using var ffn = new FeedForward(4, 8);
        ffn.named_parameters().Select(p => p.name).Should().BeEquivalentTo("w1.weight", "w1.bias", "w2.weight", "w2.bias");
        using var gated = new GatedFeedForward(4, 8, GatedVariant.SwiGlu);
        gated.named_parameters().Select(p => p.name).Should().BeEquivalentTo("w.weight", "v.weight", "w2.weight");
    }

    [Fact]
    public void Wrong_input_size_is_rejected_with_a_reason()
    {
        using var ffn = new FeedForward(4, 8);
        using var x = torch.zeros(2, 5);
        FluentActions.Invoking(() => ffn.forward(x)).Should().Throw<ArgumentException>().WithMessage("*last dimension*4*[2, 5]*");
        FluentActions.Invoking(() => new FeedForward(0, 8)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new GatedFeedForward(4, 8, (GatedVariant)42)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new GatedFeedForward(4, 8, GatedVariant.SwiGlu, beta: double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        using var gated = new GatedFeedForward(4, 8, GatedVariant.Glu);
        using var good = torch.zeros(2, 4);
        using var badGrad = torch.zeros(3, 4);
        FluentActions.Invoking(() => gated.Gradients(good, badGrad)).Should().Throw<ArgumentException>().WithMessage("*gradOutput*");
    }
}
