using FluentAssertions;
using TorchFacade.Conformance.Cases.Activations;
using TorchFacade.Reference.Activations;
using TorchFacade.Testing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>Every reference activation's analytic backward passes a float64 finite-difference gradient check.</summary>
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
}
