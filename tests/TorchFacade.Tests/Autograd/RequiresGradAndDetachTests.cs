using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Autograd;

/// <summary>Seed: requires_grad_, leaves, detach() vs torch.no_grad().</summary>
public class RequiresGradAndDetachTests
{
    [Fact]
    public void RequiresGradCanBeSetOnLeavesInPlace()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(2, 2);
        a = (a * 3) / (a - 1);
        a.RequiresGrad.Should().BeFalse();
        a.IsLeaf.Should().BeTrue("a tensor that does not require grad is a leaf");
        a.RequiresGrad = true; // Python: a.requires_grad_(True)
        a.RequiresGrad.Should().BeTrue();
        var b = (a * a).sum();
        b.RequiresGrad.Should().BeTrue();
        b.IsLeaf.Should().BeFalse();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SettingOnANonLeafThrowsPyTorchsExplanation(bool value)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        var y = x * 2;
        var act = () => y.RequiresGrad = value;
        var assertion = act.Should().Throw<InvalidOperationException>()
            .WithMessage("*you can only change requires_grad flags of leaf variables.*");
        if (!value)
        {
            assertion.WithMessage("*var_no_grad = var.detach()*");
        }

        y.RequiresGrad.Should().BeTrue("nothing changed");
    }

    [Fact]
    public void IntegerTensorsCannotRequireGrad()
    {
        using var x = torch.ones(2, dtype: torch.int64);
        var act = () => x.RequiresGrad = true;
        act.Should().Throw<InvalidOperationException>().WithMessage("*only Tensors of floating point and complex dtype can require gradients*");
        x.RequiresGrad = false;
        x.RequiresGrad.Should().BeFalse();
    }

    [Fact]
    public void DetachSharesStorageAndLeavesTheGraph()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3, requires_grad: true);
        var y = x * 2;
        var d = y.Detach();

        d.RequiresGrad.Should().BeFalse();
        d.IsLeaf.Should().BeTrue();
        d.GradFn.Should().BeNull();
        d.SharesStorageWith(y).Should().BeTrue("detach returns a tensor sharing memory with the original");

        d[0] = torch.tensor(10f);
        y[0].Item<float>().Should().Be(10f, "the data is shared");

        var loss = (y.sum() + (d * 100).sum());
        loss.Backward();
        x.Grad!.data<float>().ToArray().Should().Equal(new[] { 2f, 2f, 2f }, "nothing flows back through the detached branch");
    }

    [Fact]
    public void NoGradRecordsNothingWhileDetachIsPerTensor()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3, requires_grad: true);
        torch.Tensor inside;
        using (Torch.NoGrad())
        {
            Torch.IsGradEnabled.Should().BeFalse();
            inside = x * 2;
            var inner = inside + 1;
            inner.RequiresGrad.Should().BeFalse();
        }

        Torch.IsGradEnabled.Should().BeTrue();
        inside.RequiresGrad.Should().BeFalse("no_grad results do not require grad");
        inside.GradFn.Should().BeNull();
        inside.SharesStorageWith(x).Should().BeFalse("no_grad computes new values; it does not alias like detach");
        var outside = x * 2;
        outside.RequiresGrad.Should().BeTrue("after the block, recording resumes");
    }
}
