using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Memory;

/// <summary>Seed: "view() returns a tensor sharing memory with its source: change one and the other changes"; "clone copies".</summary>
public class ViewAndCloneTests
{
    [Fact]
    public void ViewSharesMemoryBothWays()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(6, dtype: torch.float32);
        var y = x.View(2, 3);

        y.shape.Should().Equal(2, 3);
        y.SharesStorageWith(x).Should().BeTrue();
        y.DataPtr.Should().Be(x.DataPtr);

        y[0, 1] = torch.tensor(100f);
        x[1].item<float>().Should().Be(100f, "writing through the view changes the source");
        x[5] = torch.tensor(-1f);
        y[1, 2].item<float>().Should().Be(-1f, "writing the source changes the view");
    }

    [Fact]
    public void ViewInfersMinusOne()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(24);
        x.View(-1, 4).shape.Should().Equal(6, 4);
        x.View(2, -1, 3).shape.Should().Equal(2, 4, 3);
        x.View(-1).shape.Should().Equal(24);
    }

    [Fact]
    public void ViewOfTransposedMatrixAsRowThrowsTensorLayoutException()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(6, dtype: torch.float32).View(2, 3).t();

        var act = () => x.View(6);

        var ex = act.Should().Throw<TensorLayoutException>().Which;
        ex.Message.Should().Contain("[3, 2]").And.Contain("[1, 3]").And.Contain("Reshape").And.Contain("Contiguous()");
        ex.Shape.Should().Equal(3L, 2L);
        ex.Strides.Should().Equal(1L, 3L);
        ex.RequestedShape.Should().Equal(6L);
    }

    [Fact]
    public void ViewAcceptsWhatLibTorchAcceptsOnNonContiguousTensors()
    {
        using var scope = torch.NewDisposeScope();
        // A transposed (2,3,4)->(4,3,2)... keep the dimension pairs that stay adjacent in memory viewable.
        var x = torch.arange(24, dtype: torch.float32).View(2, 3, 4).permute(1, 0, 2); // shape [3, 2, 4], strides [4, 12, 1]
        var v = x.View(3, 2, 2, 2);
        v.SharesStorageWith(x).Should().BeTrue();
        using var expected = x.reshape(3, 2, 2, 2);
        v.data<float>().ToArray().Should().Equal(expected.data<float>().ToArray());
    }

    [Fact]
    public void ViewWithWrongElementCountThrowsArgumentException()
    {
        using var x = torch.ones(4);
        var act = () => x.View(3);
        act.Should().Throw<ArgumentException>().WithMessage("*shape '[3]' is invalid for input of size 4*");
        var twoInferred = () => x.View(-1, -1);
        twoInferred.Should().Throw<ArgumentException>().WithMessage("*only one dimension can be inferred*");
    }

    [Fact]
    public void ReshapeViewsWhenItCanAndCopiesWhenItMust()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(6, dtype: torch.float32).View(2, 3);
        x.Reshape(3, 2).SharesStorageWith(x).Should().BeTrue("a contiguous tensor reshapes as a view");

        var transposed = x.t();
        var flat = transposed.Reshape(-1);
        flat.SharesStorageWith(x).Should().BeFalse("a transposed tensor cannot be flattened without a copy");
        flat.data<float>().ToArray().Should().Equal(0f, 3f, 1f, 4f, 2f, 5f);
    }

    [Fact]
    public void CloneDoesNotShareMemoryAndHasEqualValues()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(6, dtype: torch.float32);
        var c = x.Clone();

        c.SharesStorageWith(x).Should().BeFalse();
        c.DataPtr.Should().NotBe(x.DataPtr);
        c.data<float>().ToArray().Should().Equal(x.data<float>().ToArray());

        c[0] = torch.tensor(42f);
        x[0].item<float>().Should().Be(0f, "changing the clone leaves the source alone");
    }

    [Fact]
    public void SeedCloneThenViewGivesAnIndependentView()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(6, dtype: torch.float32);
        var independent = x.Clone().View(2, 3);
        independent[0, 0] = torch.tensor(9f);
        x[0].item<float>().Should().Be(0f);
        independent.SharesStorageWith(x).Should().BeFalse();
    }

    [Fact]
    public void CloneOfTensorRequiringGradIsInTheGraphAsCloneBackward0()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3, requires_grad: true);
        var c = x.Clone();
        c.IsLeaf.Should().BeFalse();
        c.RequiresGrad.Should().BeTrue();
        if (GradFnNative.IsSupported)
        {
            c.GradFn!.Name.Should().Be("CloneBackward0");
        }

        (c * 2).sum().Backward();
        x.Grad!.data<float>().ToArray().Should().Equal(2f, 2f, 2f);
    }
}
