using FluentAssertions;
using TorchFacade.Conformance.Cases.Activations;
using TorchFacade.Reference.Activations;
using TorchFacade.Testing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>Every reference activation's analytic backward passes a float64 finite-difference gradient check, and its
/// backward is itself differentiable (GradGradCheck: second order through createGraph).</summary>
public sealed class GradCheckOnActivationsTests
{
    public static TheoryData<string> Ids => new(ActivationSpecs.All.Select(s => s.Id));

    // Away from kinks and thresholds (central differences straddling a kink are not derivatives).
    private static Tensor Points() => tensor(new[] { -5.1, -2.6, -1.1, -0.45, 0.3, 0.85, 1.9, 4.4 }, ScalarType.Float64).requires_grad_(true);

    [Theory]
    [MemberData(nameof(Ids))]
    public void ElementwiseActivationsPassGradCheck(string id)
    {
        using var scope = NewDisposeScope();
        var module = ActivationSpecs.Get(id).Create();
        var result = GradCheck.Assert(x => module.call(x), Points());
        result.Entries.Should().Be(64);
    }

    [Fact]
    public void SoftmaxLogSoftmaxAndGluPassGradCheckAlongEveryDim()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 2, 4, 3 }, ScalarType.Float64).requires_grad_(true);
        for (long dim = -1; dim < 3; dim++)
        {
            var softmax = new Softmax(dim);
            var logSoftmax = new LogSoftmax(dim);
            GradCheck.Assert(t => softmax.call(t), x).Passed.Should().BeTrue();
            GradCheck.Assert(t => logSoftmax.call(t), x).Passed.Should().BeTrue();
        }

        var glu = new GLU(1);
        GradCheck.Assert(t => glu.call(t), x).Passed.Should().BeTrue();
    }

    [Fact]
    public void PreluPassesGradCheckForInputAndWeight()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -1.5, 0.7, -0.3, 2.2, -2.9, 0.4 }, ScalarType.Float64).reshape(1, 3, 2).requires_grad_(true);
        var w = tensor(new[] { 0.25, -0.4, 0.9 }, ScalarType.Float64).requires_grad_(true);
        var result = GradCheck.Run(xs => PReLU.Apply(xs[0], xs[1]), [x, w]);
        result.Passed.Should().BeTrue(result.FirstMismatch);
        result.Entries.Should().Be((6 * 6) + (6 * 3));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ElementwiseActivationsPassGradGradCheck(string id)
    {
        using var scope = NewDisposeScope();
        var module = ActivationSpecs.Get(id).Create();
        var result = GradGradCheck.Assert(x => module.call(x), Points());

        // (x, v) -> vᵀ f'(x): 8 outputs × (8 + 8) inputs.
        result.Entries.Should().Be(128);
    }

    [Fact]
    public void SoftmaxLogSoftmaxAndGluPassGradGradCheck()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 2, 4 }, ScalarType.Float64, generator: new Generator(3)).requires_grad_(true);
        foreach (long dim in new long[] { 0, -1 })
        {
            var softmax = new Softmax(dim);
            var logSoftmax = new LogSoftmax(dim);
            GradGradCheck.Assert(t => softmax.call(t), x).Passed.Should().BeTrue();
            GradGradCheck.Assert(t => logSoftmax.call(t), x).Passed.Should().BeTrue();
        }

        var glu = new GLU(1);
        GradGradCheck.Assert(t => glu.call(t), x).Passed.Should().BeTrue();
    }

    [Fact]
    public void PreluPassesGradGradCheckForInputAndWeight()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -1.5, 0.7, -0.3, 2.2, -2.9, 0.4 }, ScalarType.Float64).reshape(1, 3, 2).requires_grad_(true);
        var w = tensor(new[] { 0.25, -0.4, 0.9 }, ScalarType.Float64).requires_grad_(true);
        var result = GradGradCheck.Run(xs => PReLU.Apply(xs[0], xs[1]), [x, w]);
        result.Passed.Should().BeTrue(result.FirstMismatch);
    }

    [Fact]
    public void FloatBackwardStillRunsTheKernelWhenNotRecorded()
    {
        // The composed path is taken only when the backward is recorded (createGraph); both give the same first derivative.
        using var scope = NewDisposeScope();
        foreach (var spec in ActivationSpecs.All)
        {
            var module = spec.Create();
            var x = tensor(new[] { -2.6f, -0.45f, 0.3f, 1.9f }).requires_grad_(true);
            var plain = Torch.Autograd.Grad([module.call(x).sum()], [x])[0]!;
            var recorded = Torch.Autograd.Grad([module.call(x).sum()], [x], createGraph: true)[0]!;
            recorded.requires_grad.Should().BeTrue(spec.Id);
            plain.requires_grad.Should().BeFalse(spec.Id);
            AssertClose.Check(recorded.detach(), plain, rtol: 1e-5, atol: 1e-6);
        }
    }
}
