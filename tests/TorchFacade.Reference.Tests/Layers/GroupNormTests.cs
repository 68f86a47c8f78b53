using FluentAssertions;
using TorchSharp;
using Xunit;
using GroupNorm = TorchFacade.Reference.Layers.GroupNorm;

namespace TorchFacade.Reference.Tests.Layers;

public sealed class GroupNormTests
{
    [Fact]
    public void Worked_example_E4()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new double[] { 1, 2, 3, 4, 0, 0, 0, 4 }).reshape(1, 4, 2);
        var y = GroupNorm.Functional(x, 2);
        double[] expected = [-1.341635, -0.4472118, 0.4472118, 1.341635, -0.5773493, -0.5773493, -0.5773493, 1.732048];
        y.data<double>().ToArray().Should().Equal(expected, (a, e) => Math.Abs(a - e) < 1e-6);
    }

    [Fact]
    public void Module_initialises_gamma_to_one_and_beta_to_zero()
    {
        using var norm = new GroupNorm(2, 4);
        norm.Weight!.data<float>().ToArray().Should().Equal(1f, 1f, 1f, 1f);
        norm.Bias!.data<float>().ToArray().Should().Equal(0f, 0f, 0f, 0f);
        norm.parameters().Should().HaveCount(2);
        new GroupNorm(2, 4, affine: false).parameters().Should().BeEmpty();
    }

    [Fact]
    public void Analytic_backward_matches_finite_differences()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        var x = torch.randn(2, 4, 3, dtype: torch.float64).requires_grad_();
        var gamma = torch.randn(4, dtype: torch.float64).requires_grad_();
        var beta = torch.randn(4, dtype: torch.float64).requires_grad_();
        var g = torch.randn(2, 4, 3, dtype: torch.float64);
        (GroupNorm.Functional(x, 2, gamma, beta) * g).sum().backward();
        double[] analytic = x.grad!.data<double>().ToArray();
        double[] xs = x.detach().data<double>().ToArray();
        const double h = 1e-6;
        for (int i = 0; i < xs.Length; i += 5)
        {
            double Loss(double delta)
            {
                double[] shifted = (double[])xs.Clone();
                shifted[i] += delta;
                using var xi = torch.tensor(shifted).reshape(2, 4, 3);
                using var y = GroupNorm.Functional(xi, 2, gamma.detach(), beta.detach());
                return (y * g).sum().item<double>();
            }

            double numeric = (Loss(h) - Loss(-h)) / (2 * h);
            analytic[i].Should().BeApproximately(numeric, 1e-6);
        }
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_reason()
    {
        FluentActions.Invoking(() => new GroupNorm(3, 4)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*must divide*");
        FluentActions.Invoking(() => new GroupNorm(0, 4)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new GroupNorm(2, 4, eps: -1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*eps*");
        using var norm = new GroupNorm(2, 4);
        using var wrongChannels = torch.zeros(1, 6, 2);
        FluentActions.Invoking(() => norm.forward(wrongChannels)).Should().Throw<ArgumentException>().WithMessage("*4 channels*6*");
        using var vector = torch.zeros(4);
        FluentActions.Invoking(() => GroupNorm.Functional(vector, 2)).Should().Throw<ArgumentException>().WithMessage("*(N, C, *)*");
        using var x = torch.zeros(1, 4, 2);
        using var badGamma = torch.ones(3);
        FluentActions.Invoking(() => GroupNorm.Functional(x, 2, badGamma)).Should().Throw<ArgumentException>().WithMessage("*shape (4,)*");
    }
}
