using FluentAssertions;
using TorchFacade.Testing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Testing.Tests;

/// <summary>AssertClose follows torch.testing.assert_close: per-dtype default tolerances, shape/dtype/device checks, NaN handling.</summary>
public sealed class AssertCloseTests
{
    [Fact]
    public void DefaultsArePyTorchs()
    {
        AssertClose.DefaultTolerances(ScalarType.Float64).Should().Be((1e-7, 1e-7));
        AssertClose.DefaultTolerances(ScalarType.Float32).Should().Be((1.3e-6, 1e-5));
        AssertClose.DefaultTolerances(ScalarType.Float16).Should().Be((1e-3, 1e-5));
        AssertClose.DefaultTolerances(ScalarType.BFloat16).Should().Be((1.6e-2, 1e-5));
        AssertClose.DefaultTolerances(ScalarType.Int64).Should().Be((0, 0));
    }

    [Fact]
    public void AcceptsWithinAndRejectsBeyondTheFloat32Default()
    {
        using var scope = NewDisposeScope();
        var expected = tensor(new[] { 1f, 100f });
        AssertClose.Check(tensor(new[] { 1f + 1e-5f, 100.0001f }), expected);
        FluentActions.Invoking(() => AssertClose.Check(tensor(new[] { 1f, 100.01f }), expected))
            .Should().Throw<AssertCloseException>().WithMessage("Tensor-likes are not close!*Mismatched elements: 1 / 2*index (1)*");
    }

    [Fact]
    public void ChecksShapeDtypeAndNan()
    {
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => AssertClose.Check(ones(2, 3), ones(3, 2))).Should().Throw<AssertCloseException>().WithMessage("*'shape'*");
        FluentActions.Invoking(() => AssertClose.Check(ones(2), ones(2, ScalarType.Float64))).Should().Throw<AssertCloseException>().WithMessage("*'dtype'*");
        AssertClose.Check(ones(2), ones(2, ScalarType.Float64), checkDtype: false);
        var nan = tensor(new[] { float.NaN });
        FluentActions.Invoking(() => AssertClose.Check(nan, nan)).Should().Throw<AssertCloseException>();
        AssertClose.Check(nan, nan, equalNan: true);
        AssertClose.Check(empty(0), empty(0));
    }

    [Fact]
    public void ExplicitTolerancesComeInPairs()
    {
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => AssertClose.Check(ones(1), ones(1), rtol: 1e-3)).Should().Throw<ArgumentException>().WithMessage("*'rtol' and 'atol'*");
        AssertClose.Check(tensor(new[] { 1.05 }), tensor(new[] { 1.0 }), rtol: 0.1, atol: 0);
    }
}
