using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Autograd;

/// <summary>
/// The seed's worked example: x = ones(2,2, requires_grad) ; y = x + 2 ; z = y*y*3 ; out = z.mean() ; out.backward().
/// By hand: ∂out/∂x_i = (1/4)·6·y_i·1 = 1.5·(x_i + 2) = 4.5.
/// </summary>
public class WorkedExampleTests
{
    [Fact]
    public void GradientIsFourPointFiveEverywhere()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 2);
        x.RequiresGrad = true;
        var y = x + 2;
        var z = y * y * 3;
        var @out = z.mean();

        @out.Backward();

        x.Grad.Should().NotBeNull();
        x.Grad!.shape.Should().Equal(2, 2);
        double[] oracle = [.. x.Detach().data<float>().ToArray().Select(xi => 1.5 * (xi + 2.0))];
        x.Grad!.data<float>().ToArray().Select(g => (double)g).Should().Equal(oracle);
        oracle.Should().AllBeEquivalentTo(4.5);
        @out.Item<float>().Should().Be(27f, "mean of 3·3² = 27");
    }

    [Fact]
    public void LeafnessAndGradFns()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 2, requires_grad: true);
        var y = x + 2;
        var z = y * y * 3;
        var @out = z.mean();

        x.IsLeaf.Should().BeTrue();
        y.IsLeaf.Should().BeFalse();
        x.GradFn.Should().BeNull("a leaf's grad_fn is None");
        y.GradFn.Should().NotBeNull();
        z.GradFn.Should().NotBeNull();
        @out.GradFn.Should().NotBeNull();

        if (!GradFnNative.IsSupported)
        {
            y.GradFn!.Name.Should().BeNull("names are read on Linux x64 only");
        }
        else
        {
            // LibTorch's own names. Python prints AddBackward0/MulBackward0 for y and z because it wraps 2 and 3 in
            // tensors; TorchSharp's scalar operators call the Scalar overloads, whose nodes are AddBackward1/MulBackward1.
            y.GradFn!.Name.Should().Be("AddBackward1");
            z.GradFn!.Name.Should().Be("MulBackward1");
            @out.GradFn!.Name.Should().Be("MeanBackward0");
            using var yy = y * y;
            yy.GradFn!.Name.Should().Be("MulBackward0", "tensor * tensor is the overload Python shows");
            y.GradFn!.ToString().Should().Be("<AddBackward1>");
        }
    }

    [Fact]
    public void PythonNamesAppearWhenTheConstantsAreTensors()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 2, requires_grad: true);
        var y = x + torch.tensor(2f); // what Python does with `x + 2`: the number becomes a 0-d tensor
        var z = y * y * torch.tensor(3f);
        var @out = z.mean();
        @out.Backward();

        x.Grad!.data<float>().ToArray().Should().AllBeEquivalentTo(4.5f, "the overload does not change the gradient");
        string?[] names = [y.GradFn!.Name, z.GradFn!.Name, @out.GradFn!.Name];
        if (GradFnNative.IsSupported)
        {
            names.Should().Equal("AddBackward0", "MulBackward0", "MeanBackward0");
        }
        else
        {
            names.Should().AllSatisfy(n => n.Should().BeNull("names are read on Linux x64 only"));
        }
    }
}
