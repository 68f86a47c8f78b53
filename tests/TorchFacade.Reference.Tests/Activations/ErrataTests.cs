using FluentAssertions;
using TorchFacade.Reference.Activations;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>The seed notes' wrong claims, each pinned against the truth.</summary>
public sealed class ErrataTests
{
    private const double SqrtTwoOverPi = 0.7978845608028654;

    // The notes' formula: 0.5[tanh(u) + x(1 − GELU²(x))] with u = √(2/π)(x + 0.044715x³).
    private static double NotesGeluDerivative(double x)
    {
        double u = SqrtTwoOverPi * (x + (0.044715 * x * x * x));
        double gelu = new GELU("tanh").Value(x);
        return 0.5 * (Math.Tanh(u) + (x * (1 - (gelu * gelu))));
    }

    [Fact]
    public void Erratum1GeluDerivativeIsNotTheNotesFormula()
    {
        NotesGeluDerivative(0).Should().Be(0);
        new GELU("tanh").Derivative(0).Should().Be(0.5);
        new GELU("none").Derivative(0).Should().Be(0.5);
        NotesGeluDerivative(1).Should().BeApproximately(0.48739, 5e-6);
        new GELU("tanh").Derivative(1).Should().BeApproximately(1.082964, 1e-6);
        new GELU("none").Derivative(1).Should().BeApproximately(1.083315, 1e-6);
        NotesGeluDerivative(2).Should().BeApproximately(-2.343153, 1e-6);
        new GELU("tanh").Derivative(2).Should().BeApproximately(1.086099, 1e-6);
        new GELU("none").Derivative(2).Should().BeApproximately(1.085232, 1e-6);
    }

    [Fact]
    public void Erratum3TheTanhApproximationNeedsTheCubicTerm()
    {
        double Claimed(double x) => 0.5 * x * (1 + Math.Tanh(0.797885 * x));
        Claimed(1).Should().BeApproximately(0.8314264, 1e-6);
        new GELU("tanh").Value(1).Should().BeApproximately(0.841192, 1e-6);
        new GELU("none").Value(1).Should().BeApproximately(0.8413447, 1e-7);
        double worstClaimed = 0, worstTanh = 0;
        for (double x = -6; x <= 6; x += 0.001)
        {
            double exact = new GELU("none").Value(x);
            worstClaimed = Math.Max(worstClaimed, Math.Abs(Claimed(x) - exact));
            worstTanh = Math.Max(worstTanh, Math.Abs(new GELU("tanh").Value(x) - exact));
        }

        worstClaimed.Should().BeApproximately(3.36e-2, 1e-4);
        worstTanh.Should().BeApproximately(4.7e-4, 1e-5);
    }

    [Fact]
    public void Erratum6GluGatesWithTheSecondHalf()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2, 3, 4 }, ScalarType.Float64).requires_grad_(true);
        var y = new GLU().call(x);
        y.backward([ones(2, ScalarType.Float64)]);
        double[] ys = y.detach().data<double>().ToArray();
        ys[0].Should().BeApproximately(0.9525741, 1e-7);
        ys[1].Should().BeApproximately(1.964028, 1e-6);
        double[] g = x.grad!.data<double>().ToArray();
        g[0].Should().BeApproximately(0.9525741, 1e-7);
        g[1].Should().BeApproximately(0.9820138, 1e-7);
        g[2].Should().BeApproximately(0.04517666, 1e-8);
        g[3].Should().BeApproximately(0.03532541, 1e-8);
    }

    [Fact]
    public void Erratum7SiluRangeAndSlopeAtZero()
    {
        var silu = new SiLU();
        silu.Value(-1.2784645).Should().BeApproximately(-0.2784645, 1e-7);
        silu.Derivative(-1.2784645).Should().BeApproximately(0, 1e-7);
        silu.Value(-1.2784645).Should().BeLessThan(0, "SiLU's range is not (0, 1)");
        silu.Value(5).Should().BeGreaterThan(1);
        silu.Derivative(0).Should().Be(0.5);
    }

    [Fact]
    public void Erratum8XSinIsNotSilu()
    {
        new XSin().Value(1).Should().NotBeApproximately(new SiLU().Value(1), 0.1);
        new XTanh().Value(2).Should().NotBeApproximately(1.7159 * Math.Tanh(2.0 * 2 / 3), 0.1, "x·tanh x is not the scaled tanh a·tanh(bx)");
        new XTanh().Value(2).Should().NotBeApproximately(new Mish().Value(2), 0.01);
    }

    [Fact]
    public void Erratum9DerivativeRanges()
    {
        var swish = new Swish(1.7);
        swish.Derivative(-2.3993573 / 1.7).Should().BeApproximately(-0.0998393, 1e-7);
        swish.Derivative(2.3993573 / 1.7).Should().BeApproximately(1.0998393, 1e-7);
        var gelu = new GELU();
        gelu.Derivative(-Math.Sqrt(2)).Should().BeApproximately(-0.1289041, 1e-7);
        gelu.Derivative(Math.Sqrt(2)).Should().BeApproximately(1.1289041, 1e-7);
        gelu.Value(-0.7517915).Should().BeApproximately(-0.1699712, 1e-7);
        gelu.Derivative(-0.7517915).Should().BeApproximately(0, 1e-6);
    }

    [Fact]
    public void Erratum12TanhRangeHasWidthTwo()
    {
        var tanh = new Tanh();
        (tanh.Value(20) - tanh.Value(-20)).Should().BeApproximately(2, 1e-12);
    }
}
