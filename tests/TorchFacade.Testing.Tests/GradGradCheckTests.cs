using FluentAssertions;
using TorchFacade.Testing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Testing.Tests;

/// <summary>GradGradCheck: passes twice-differentiable functions (custom ones included), catches a backward that is not differentiable correctly.</summary>
public sealed class GradGradCheckTests
{
    [Fact]
    public void PassesForLibTorchAutograd()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.3, -1.2, 2.5 }, ScalarType.Float64).requires_grad_(true);
        var result = GradGradCheck.Run(t => t.sin().mul(t.exp()), x);
        result.Passed.Should().BeTrue(result.FirstMismatch);

        // Jacobian of (x, v) -> vᵀ J(x): 3 outputs × (3 + 3) inputs.
        result.Entries.Should().Be(18);
    }

    [Fact]
    public void PassesForACustomFunctionWithADifferentiableBackward()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.3, -1.2, 2.5 }, ScalarType.Float64).requires_grad_(true);
        GradCheck.Assert(t => Cube.Apply(t)[0], x).Passed.Should().BeTrue();
        GradGradCheck.Assert(t => Cube.Apply(t)[0], x).Passed.Should().BeTrue();
    }

    [Fact]
    public void CatchesABackwardThatIsNotDifferentiable()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.3, -1.2, 2.5 }, ScalarType.Float64).requires_grad_(true);

        // First order is right, so GradCheck passes; the backward detaches x, so second order is wrong.
        GradCheck.Run(t => DetachedCube.Apply(t)[0], x).Passed.Should().BeTrue();
        var result = GradGradCheck.Run(t => DetachedCube.Apply(t)[0], x);
        result.Passed.Should().BeFalse();
        FluentActions.Invoking(() => GradGradCheck.Assert(t => DetachedCube.Apply(t)[0], x))
            .Should().Throw<GradCheckException>().WithMessage("Second-order (gradgrad) mismatch*");
    }

    [Fact]
    public void SeveralInputsAndAGivenGradOutput()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1.0, 2.0 }, ScalarType.Float64).requires_grad_(true);
        var b = tensor(new[] { 0.5, -0.25 }, ScalarType.Float64).requires_grad_(true);
        var v = tensor(new[] { 0.7, -1.1 }, ScalarType.Float64);
        var result = GradGradCheck.Run(xs => xs[0].mul(xs[0]).mul(xs[1].exp()), [a, b], v);
        result.Passed.Should().BeTrue(result.FirstMismatch);

        // v does not require grad: only a and b are checked; the product has 4 entries (grads of a and b).
        result.Entries.Should().Be(4 * 4);
        FluentActions.Invoking(() => GradGradCheck.Run(t => t.sin(), a, ones(3, ScalarType.Float64)))
            .Should().Throw<ArgumentException>().WithMessage("*shape*");
    }

    private sealed class Cube : AutogradFunction<Cube>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0].pow(3)];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) =>
            [gradOutputs[0].mul(ctx.SavedTensors[0].pow(2)).mul(3)];
    }

    private sealed class DetachedCube : AutogradFunction<DetachedCube>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0].pow(3)];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) =>
            [gradOutputs[0].mul(ctx.SavedTensors[0].detach().pow(2)).mul(3)];
    }
}
