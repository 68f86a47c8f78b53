using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Autograd;

/// <summary>Seed: "if y is a scalar, backward() needs no argument; otherwise pass a tensor shaped like y"; "grad accumulates".</summary>
public class BackwardTests
{
    [Fact]
    public void NonScalarOutputWithGradientGivesVectorJacobianProduct()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        var y = x * x; // dy_i/dx_i = 2 x_i
        var v = torch.tensor(new float[] { 1, 0.5f, -1 });

        y.Backward(v);

        // Oracle in double: v_i · 2 x_i
        x.Grad!.data<float>().ToArray().Select(g => (double)g).Should().Equal(1.0 * 2 * 1, 0.5 * 2 * 2, -1.0 * 2 * 3);
    }

    [Fact]
    public void NonScalarOutputWithoutGradientThrowsPyTorchsMessage()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 2, requires_grad: true);
        var y = x * 2;
        var act = () => y.Backward();
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("*grad can be implicitly created only for scalar outputs*[2, 2]*4 elements*");
        x.Grad.Should().BeNull("nothing ran");
    }

    [Fact]
    public void OneElementNonZeroDimOutputNeedsNoGradient()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(1, 1, requires_grad: true);
        (x * 3).Backward();
        x.Grad!.Item<float>().Should().Be(3f);
    }

    [Fact]
    public void TensorNotRequiringGradThrows()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2);
        var loss = x.sum();
        var act = () => loss.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("*does not require grad and does not have a grad_fn*RequiresGrad*");
    }

    [Fact]
    public void GradientOfWrongShapeThrowsShapeMismatch()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 2, requires_grad: true);
        var y = x * 2;
        var act = () => y.Backward(torch.ones(3));
        var ex = act.Should().Throw<ShapeMismatchException>().Which;
        ex.Message.Should().Contain("[3]").And.Contain("[2, 2]");
    }

    [Fact]
    public void SecondBackwardWithoutRetainGraphThrowsClearly()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        var loss = (x * x).sum(); // MulBackward0 saves x: freed after the first backward
        loss.Backward();
        var act = () => loss.Backward();
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("*backward through the graph a second time*retainGraph: true*");
    }

    [Fact]
    public void RetainGraphAllowsASecondBackwardAndGradientsAccumulate()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 2 }, requires_grad: true);
        var loss = (x * x).sum(); // d/dx = 2x

        loss.Backward(retainGraph: true);
        x.Grad!.data<float>().ToArray().Should().Equal(2f, 4f);
        loss.Backward();
        x.Grad!.data<float>().ToArray().Should().Equal(new[] { 4f, 8f }, "the second backward adds to the first");
    }

    [Fact]
    public void SeedWorkedExampleAccumulatesAcrossForwardPasses()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 2, requires_grad: true);
        for (int pass = 1; pass <= 3; pass++)
        {
            var @out = ((x + 2) * (x + 2) * 3).mean();
            @out.Backward();
            x.Grad!.data<float>().ToArray().Should().AllBeEquivalentTo(4.5f * pass);
        }
    }

    [Fact]
    public void ZeroingTheGradLikeXGradDataZero()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 2, requires_grad: true);
        ((x + 2) * (x + 2) * 3).mean().Backward();
        var grad = x.Grad!;

        x.Grad!.Detach().zero_(); // Python: x.grad.data.zero_()

        grad.data<float>().ToArray().Should().AllBeEquivalentTo(0f);
        ((x + 2) * (x + 2) * 3).mean().Backward();
        x.Grad!.data<float>().ToArray().Should().AllBeEquivalentTo(4.5f, "after zeroing, one backward gives one gradient");
        x.Grad!.SharesStorageWith(grad).Should().BeTrue("zero_ keeps the grad tensor; backward accumulates into it");
    }

    [Fact]
    public void SettingGradToNullIsPyTorchsDefaultZeroGrad()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        (x * 3).sum().Backward();
        x.Grad.Should().NotBeNull();

        x.Grad = null; // optimizer.zero_grad() / zero_grad(set_to_none=True), PyTorch's default since 2.0

        x.Grad.Should().BeNull();
        (x * 3).sum().Backward();
        x.Grad!.data<float>().ToArray().Should().Equal(3f, 3f);
    }

    [Fact]
    public void GradIsNullUntilBackwardAndForNonLeaves()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        x.Grad.Should().BeNull();
        var y = x * 2;
        y.sum().Backward();
        x.Grad.Should().NotBeNull();
        y.Grad.Should().BeNull("non-leaf gradients are not kept");
    }

    [Fact]
    public void AssigningAGradChecksShapeDtypeAndDevice()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 2, requires_grad: true);
        x.Grad = torch.full(new long[] { 2, 2 }, 0.5f);
        x.Grad!.data<float>().ToArray().Should().AllBeEquivalentTo(0.5f);

        var wrongShape = () => x.Grad = torch.ones(4);
        wrongShape.Should().Throw<ShapeMismatchException>().WithMessage("*different size*[4]*[2, 2]*");
        var wrongType = () => x.Grad = torch.ones(2, 2, dtype: torch.float64);
        wrongType.Should().Throw<ArgumentException>().WithMessage("*different type*");
    }

    [Fact]
    public void ManualGradientDescentStepUnderNoGrad()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 2, requires_grad: true);
        ((x + 2) * (x + 2) * 3).mean().Backward();
        const float lr = 0.1f;
        using (Torch.NoGrad())
        {
            x.sub_(lr * x.Grad!); // Python: x -= lr * x.grad (in place)
        }

        // Oracle: 1 - 0.1 · 4.5 = 0.55 (the seed's SGD result)
        x.data<float>().ToArray().Select(v => (double)v).Should().AllSatisfy(v => v.Should().BeApproximately(0.55, 1e-6));
        x.IsLeaf.Should().BeTrue();
    }
}
