using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Autograd;

/// <summary>Torch.Autograd.Grad / Backward / DetectAnomaly / ToDot with PyTorch's defaults and error texts, never aborting.</summary>
public class AutogradFunctionsTests
{
    private static bool Supported => AutogradNative.Api is not null;

    [Fact]
    public void GradReturnsGradientsWithoutAccumulating()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1.0, 2.0, 3.0 }, requires_grad: true);
        var y = (x * x).sum();
        var g = Torch.Autograd.Grad([y], [x]);
        g[0]!.data<double>().ToArray().Should().Equal(2.0, 4.0, 6.0);
        x.Grad.Should().BeNull();
    }

    [Fact]
    public void UnusedInputRaisesPyTorchsErrorOrGivesNullOrZeros()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3, requires_grad: true);
        var unused = torch.ones(2, requires_grad: true);
        var y = (x * 2).sum();
        var act = () => Torch.Autograd.Grad([y], [x, unused], retainGraph: true);
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("*One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.*");
        var g = Torch.Autograd.Grad([y], [x, unused], retainGraph: true, allowUnused: true);
        g[1].Should().BeNull();
        g[0]!.data<float>().ToArray().Should().Equal(2f, 2f, 2f);
        var m = Torch.Autograd.Grad([y], [x, unused], materializeGrads: true);
        m[1]!.data<float>().ToArray().Should().Equal(0f, 0f);
    }

    [Fact]
    public void GradErrorsAreExceptionsNotAborts()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3, requires_grad: true);
        var y = (x * x).sum();
        Torch.Autograd.Grad([y], [x]);
        var second = () => Torch.Autograd.Grad([y], [x]);
        second.Should().Throw<InvalidOperationException>().WithMessage("*Trying to backward through the graph a second time*");
        var notScalar = () => Torch.Autograd.Grad([x * 2], [x]);
        notScalar.Should().Throw<InvalidOperationException>().WithMessage("*grad can be implicitly created only for scalar outputs*");
        var shape = () => Torch.Autograd.Grad([x * 2], [x], [torch.ones(2)]);
        shape.Should().Throw<ShapeMismatchException>()
            .WithMessage("*Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).*");
        var noGrad = () => Torch.Autograd.Grad([torch.ones(2).sum()], [x]);
        noGrad.Should().Throw<InvalidOperationException>().WithMessage("*element 0 of tensors does not require grad and does not have a grad_fn*");
        var inputNoGrad = () => Torch.Autograd.Grad([(x * 2).sum()], [torch.ones(2)]);
        inputNoGrad.Should().Throw<InvalidOperationException>().WithMessage("*One of the differentiated Tensors does not require grad*");
    }

    [Fact]
    public void CreateGraphGivesSecondDerivatives()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var y = (x * x * x).sum();
        var g = Torch.Autograd.Grad([y], [x], createGraph: true)[0]!;
        g.data<double>().ToArray().Should().Equal(3.0, 12.0);
        var gg = Torch.Autograd.Grad([g.sum()], [x])[0]!;
        gg.data<double>().ToArray().Should().Equal(6.0, 12.0);
    }

    [Fact]
    public void BackwardWithInputsAccumulatesOnlyThere()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var a = torch.ones(2, requires_grad: true);
        var b = torch.ones(2, requires_grad: true);
        var loss = (a * b * 3).sum();
        Torch.Autograd.Backward([loss], inputs: [a]);
        a.Grad!.data<float>().ToArray().Should().Equal(3f, 3f);
        b.Grad.Should().BeNull();
        var empty = () => Torch.Autograd.Backward([(a * 2).sum()], inputs: []);
        empty.Should().Throw<InvalidOperationException>().WithMessage("*`inputs` argument to `backward()` cannot be empty.*");
    }

    [Fact]
    public void DetectAnomalyRaisesOnNaN()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        Torch.Autograd.IsAnomalyEnabled.Should().BeFalse();
        var a = torch.tensor(new[] { -1.0 }, requires_grad: true);
        using (Torch.Autograd.DetectAnomaly())
        {
            Torch.Autograd.IsAnomalyEnabled.Should().BeTrue();
            var y = torch.sqrt(a).sum();
            var act = () => y.Backward();
            act.Should().Throw<InvalidOperationException>().WithMessage("*Function 'SqrtBackward0' returned nan values in its 0th output.*");
            var y2 = torch.sqrt(a).sum();
            var viaGrad = () => Torch.Autograd.Grad([y2], [a]);
            viaGrad.Should().Throw<InvalidOperationException>().WithMessage("*Function 'SqrtBackward0' returned nan values in its 0th output.*");
        }

        Torch.Autograd.IsAnomalyEnabled.Should().BeFalse();
    }

    [Fact]
    public void ToDotDrawsTorchvizGraph()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 3, requires_grad: true);
        var y = (x * 2).sum();
        string dot = Torch.Autograd.ToDot(y);
        dot.Should().StartWith("digraph {");
        dot.Should().Contain("[label=SumBackward0]").And.Contain("[label=MulBackward1]").And.Contain("[label=AccumulateGrad]");
        dot.Should().Contain("[label=\"\n (2, 3)\" fillcolor=lightblue]").And.Contain("[label=\"\n ()\" fillcolor=darkolivegreen1]");
    }
}
