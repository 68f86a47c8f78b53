using FluentAssertions;
using TorchFacade.Reference.Activations;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>The worked examples of A.5, A.6 and A.7.</summary>
public sealed class SoftmaxAndPreluExampleTests
{
    private static (double[] Y, double[] Grad) Run(nn.Module<Tensor, Tensor> module, double[] x, double[] g)
    {
        using var scope = NewDisposeScope();
        var xt = tensor(x, ScalarType.Float64).requires_grad_(true);
        var y = module.call(xt);
        y.backward([tensor(g, ScalarType.Float64)]);
        return (y.detach().data<double>().ToArray(), xt.grad!.data<double>().ToArray());
    }

    [Fact]
    public void SoftmaxExample()
    {
        var (y, grad) = Run(new Softmax(0), [1, 2, 3], [1, 0, 0]);
        y.Should().BeEquivalentTo(new[] { 0.09003057, 0.2447285, 0.665241 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6)).WhenTypeIs<double>());
        grad.Should().BeEquivalentTo(new[] { 0.08192507, -0.02203304, -0.05989202 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-8)).WhenTypeIs<double>());
    }

    [Fact]
    public void LogSoftmaxExample()
    {
        var (y, grad) = Run(new LogSoftmax(-1), [1, 2, 3], [1, 0, 0]);
        y.Should().BeEquivalentTo(new[] { -2.407606, -1.407606, -0.407606 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6)).WhenTypeIs<double>());
        grad.Should().BeEquivalentTo(new[] { 0.9099694, -0.2447285, -0.665241 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6)).WhenTypeIs<double>());
    }

    [Fact]
    public void SoftmaxOfAllMinusInfinityIsNan()
    {
        using var scope = NewDisposeScope();
        var y = new Softmax(0).call(full(3, double.NegativeInfinity, ScalarType.Float64));
        y.data<double>().ToArray().Should().OnlyContain(v => double.IsNaN(v));
    }

    [Fact]
    public void PreluExample()
    {
        using var scope = NewDisposeScope();
        var prelu = new PReLU();
        var x = tensor(new[] { -2f, 0f, 3f }).requires_grad_(true);
        var y = prelu.call(x);
        y.backward([ones(3)]);
        y.detach().data<float>().ToArray().Should().Equal(-0.5f, 0f, 3f);
        x.grad!.data<float>().ToArray().Should().Equal(0.25f, 0.25f, 1f);
        prelu.Weight.grad!.data<float>().ToArray().Should().Equal(-2f);
    }

    [Fact]
    public void PreluPerChannelWeightGradientSumsOverAllButDimOne()
    {
        using var scope = NewDisposeScope();
        var prelu = new PReLU(2, 0.5);
        var x = tensor(new float[] { -1, 2, -3, 4, -5, -6, 7, 8 }).reshape(2, 2, 2).requires_grad_(true);
        prelu.call(x).sum().backward();
        // channel 0: elements (-1, 2) and (-5, -6) -> negatives sum -12; channel 1: (-3, 4) and (7, 8) -> -3.
        prelu.Weight.grad!.data<float>().ToArray().Should().Equal(-12f, -3f);
    }
}
