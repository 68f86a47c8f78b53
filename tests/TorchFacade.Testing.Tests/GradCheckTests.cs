using FluentAssertions;
using TorchFacade.Testing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Testing.Tests;

/// <summary>GradCheck: passes correct gradients, catches a wrong backward, enforces float64 like torch.autograd.gradcheck.</summary>
public sealed class GradCheckTests
{
    [Fact]
    public void PassesForLibTorchAutograd()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.3, -1.2, 2.5 }, ScalarType.Float64).requires_grad_(true);
        var result = GradCheck.Run(t => t.sin().mul(t.exp()), x);
        result.Passed.Should().BeTrue();
        result.Entries.Should().Be(9);
        result.MaxAbsError.Should().BeLessThan(1e-8);
    }

    [Fact]
    public void CatchesAWrongBackward()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.3, -1.2 }, ScalarType.Float64).requires_grad_(true);
        var result = GradCheck.Run(t => WrongSin.apply(t), x);
        result.Passed.Should().BeFalse();
        result.FirstMismatch.Should().Contain("analytic").And.Contain("numerical");
        FluentActions.Invoking(() => GradCheck.Assert(t => WrongSin.apply(t), x)).Should().Throw<GradCheckException>().WithMessage("Jacobian mismatch*");
    }

    [Fact]
    public void ChecksOnlyInputsThatRequireGrad()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1.0, 2.0 }, ScalarType.Float64).requires_grad_(true);
        var b = tensor(new[] { 3.0, 4.0 }, ScalarType.Float64);
        var result = GradCheck.Run(xs => xs[0].mul(xs[1]), [a, b]);
        result.Passed.Should().BeTrue();
        result.Entries.Should().Be(4);
    }

    [Fact]
    public void RejectsFloat32AndInputsWithoutRequiresGrad()
    {
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => GradCheck.Run(t => t.sin(), ones(2).requires_grad_(true)))
            .Should().Throw<ArgumentException>().WithMessage("*float64*");
        FluentActions.Invoking(() => GradCheck.Run(t => t.sin(), ones(2, ScalarType.Float64)))
            .Should().Throw<ArgumentException>().WithMessage("*requires_grad*");
        FluentActions.Invoking(() => GradCheck.Run(t => t.sin(), ones(2, ScalarType.Float64).requires_grad_(true), eps: 0))
            .Should().Throw<ArgumentException>().WithMessage("*eps*");
    }

    // sin with a deliberately wrong derivative (2·cos).
    private sealed class WrongSin : autograd.SingleTensorFunction<WrongSin>
    {
        public override string Name => "WrongSin";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            ctx.save_for_backward([x]);
            return x.sin();
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
            [grad_output.mul(ctx.get_saved_variables()[0].cos()).mul(2)];
    }
}
