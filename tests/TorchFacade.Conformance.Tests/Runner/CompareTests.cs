using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Conformance.Tests.Runner;

/// <summary><see cref="Compare.Close(ReadOnlySpan{double}, ReadOnlySpan{double}, Tolerance, torch.ScalarType, double[], string)"/>: the figures every report shows.</summary>
public sealed class CompareTests
{
    private static readonly Tolerance F32 = Tolerance.For(torch.ScalarType.Float32);

    [Fact]
    public void Figures_measure_the_worst_abs_rel_and_ulp_error()
    {
        float one = 1f, next = MathF.BitIncrement(1f);
        CaseResult r = Compare.Close([next, 2.0], [one, 2.0], F32, torch.ScalarType.Float32);
        r.Outcome.Should().Be(CaseOutcome.Passed);
        r.Figures!.MaxAbsError.Should().Be(next - (double)one);
        r.Figures.MaxRelError.Should().Be(next - (double)one);
        r.Figures.MaxUlp.Should().Be(1);
        r.Figures.Elements.Should().Be(2);
    }

    [Fact]
    public void Ulp_ignores_elements_below_atol_where_absolute_error_governs()
    {
        // 0 vs 1e-30 is within atol but ~2e8 float32 ulp apart; it must not dominate the figure.
        CaseResult r = Compare.Close([0.0, 1.0], [1e-30, 1.0], F32, torch.ScalarType.Float32);
        r.Outcome.Should().Be(CaseOutcome.Passed);
        r.Figures!.MaxUlp.Should().Be(0);
        r.Figures.MaxAbsError.Should().Be(1e-30);
    }

    [Fact]
    public void Failures_list_the_first_inputs_with_actual_and_expected()
    {
        double[] x = [0, 1, 2, 3, 4, 5, 6];
        double[] expected = [0, 1, 2, 3, 4, 5, 6];
        double[] actual = [0, 1.5, 2, double.NaN, 4.5, 5.5, 6.5];
        CaseResult r = Compare.Close(actual, expected, F32, torch.ScalarType.Float32, x, "forward");
        r.Outcome.Should().Be(CaseOutcome.Failed);
        r.Message.Should().Be("forward: 5 of 7 elements outside rtol=1.3e-06, atol=1e-05 (assert_close default for float32)");
        r.FailingInputs.Should().HaveCount(5);
        r.FailingInputs[0].Should().Be("[1] x=1 → actual 1.5 vs expected 1");
        r.FailingInputs[1].Should().Be("[3] x=3 → actual NaN vs expected 3");
    }

    [Fact]
    public void Nan_matches_nan_and_infinities_must_match_exactly()
    {
        Compare.Close([double.NaN, double.PositiveInfinity], [double.NaN, double.PositiveInfinity], F32, torch.ScalarType.Float32)
            .Outcome.Should().Be(CaseOutcome.Passed);
        Compare.Close([double.PositiveInfinity], [double.MaxValue], F32.Widen(1, 1, "wide"), torch.ScalarType.Float64)
            .Outcome.Should().Be(CaseOutcome.Failed);
    }

    [Fact]
    public void Tensors_of_different_shapes_fail_with_both_shapes()
    {
        using var scope = torch.NewDisposeScope();
        CaseResult r = Compare.Close(torch.zeros(2, 3), torch.zeros(3, 2), F32, what: "grad");
        r.Outcome.Should().Be(CaseOutcome.Failed);
        r.Message.Should().Be("grad: shape [2, 3] differs from expected [3, 2]");
    }
}
