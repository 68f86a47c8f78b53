using FluentAssertions;
using TorchFacade.Reference.Layers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Layers;

public sealed class ClipGradTests
{
    private static torch.Tensor WithGrad(params double[] grad)
    {
        var t = torch.zeros(grad.Length, dtype: torch.float64).requires_grad_();
        t.grad = torch.tensor(grad);
        return t;
    }

    [Fact]
    public void Norm_scales_by_max_over_total_plus_epsilon_and_returns_the_total()
    {
        using var scope = torch.NewDisposeScope();
        var a = WithGrad(3, 4);
        ClipGrad.Norm([a], 1.0).Should().Be(5.0);
        a.grad!.data<double>().ToArray().Should().Equal([3 / (5 + 1e-6), 4 / (5 + 1e-6)], (x, y) => Math.Abs(x - y) < 1e-15);
    }

    [Fact]
    public void Norm_leaves_small_gradients_alone()
    {
        using var scope = torch.NewDisposeScope();
        var a = WithGrad(0.3, -0.4);
        ClipGrad.Norm([a], 1.0).Should().BeApproximately(0.5, 1e-15);
        a.grad!.data<double>().ToArray().Should().Equal(0.3, -0.4);
    }

    [Fact]
    public void Infinity_norm_is_the_largest_magnitude()
    {
        using var scope = torch.NewDisposeScope();
        ClipGrad.Norm([WithGrad(1, -7), WithGrad(2)], 100, double.PositiveInfinity).Should().Be(7);
    }

    [Fact]
    public void No_gradients_give_a_zero_norm() =>
        ClipGrad.Norm([torch.zeros(2).requires_grad_()], 1.0).Should().Be(0);

    [Fact]
    public void Value_clamps_each_element()
    {
        using var scope = torch.NewDisposeScope();
        var a = WithGrad(-3, 0.2, 9);
        ClipGrad.Value([a], 1.0);
        a.grad!.data<double>().ToArray().Should().Equal(-1, 0.2, 1);
    }

    [Fact]
    public void Non_finite_total_throws_only_when_asked()
    {
        using var scope = torch.NewDisposeScope();
        FluentActions.Invoking(() => ClipGrad.Norm([WithGrad(double.NaN, 1)], 1.0, errorIfNonfinite: true))
            .Should().Throw<InvalidOperationException>().WithMessage("*non-finite*");
        double.IsNaN(ClipGrad.Norm([WithGrad(double.NaN, 1)], 1.0)).Should().BeTrue();
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        FluentActions.Invoking(() => ClipGrad.Norm(null!, 1)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => ClipGrad.Norm([], -1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*max_norm*");
        FluentActions.Invoking(() => ClipGrad.Norm([], 1, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*norm_type*");
        FluentActions.Invoking(() => ClipGrad.Norm([], double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ClipGrad.Value([], -0.5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*clip_value*");
    }
}
