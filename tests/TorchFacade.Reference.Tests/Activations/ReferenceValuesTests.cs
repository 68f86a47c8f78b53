using FluentAssertions;
using TorchFacade.Reference.Activations;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>
/// The reference-values table (float64, 7 significant digits, each derivative
/// checked there against a finite difference): the scalar oracle, the module's forward and its analytic backward.
/// </summary>
public sealed class ReferenceValuesTests
{
    private static readonly double[] Points = [-3, -1, 0, 0.5, 1, 3];

    public static TheoryData<string> Names => new(Table.Keys);

    // name -> (module, values at Points, derivatives at Points)
    private static readonly Dictionary<string, (Func<ElementwiseActivation> Create, double[] Value, double[] Derivative)> Table = new()
    {
        ["sigmoid"] = (() => new Sigmoid(), [0.04742587, 0.2689414, 0.5, 0.6224593, 0.7310586, 0.9525741], [0.04517666, 0.1966119, 0.25, 0.2350037, 0.1966119, 0.04517666]),
        ["tanh"] = (() => new Tanh(), [-0.9950548, -0.7615942, 0, 0.4621172, 0.7615942, 0.9950548], [0.009866037, 0.4199743, 1, 0.7864477, 0.4199743, 0.009866037]),
        ["relu"] = (() => new ReLU(), [0, 0, 0, 0.5, 1, 3], [0, 0, 0, 1, 1, 1]),
        ["leaky_relu(0.01)"] = (() => new LeakyReLU(0.01), [-0.03, -0.01, 0, 0.5, 1, 3], [0.01, 0.01, 0.01, 1, 1, 1]),
        ["silu"] = (() => new SiLU(), [-0.1422776, -0.2689414, 0, 0.3112297, 0.7310586, 2.857722], [-0.08810411, 0.07232949, 0.5, 0.7399612, 0.9276705, 1.088104]),
        ["swish(beta=1.5)"] = (() => new Swish(1.5), [-0.03296083, -0.1824255, 0, 0.3395893, 0.8175745, 2.967039], [-0.03791109, -0.04129415, 0.5, 0.8425999, 1.041294, 1.037911]),
        ["gelu(none)"] = (() => new GELU("none"), [-0.004049694, -0.1586553, 0, 0.3457312, 0.8413447, 2.99595], [-0.01194565, -0.08331547, 0.5, 0.8674951, 1.083315, 1.011946]),
        ["gelu(tanh)"] = (() => new GELU("tanh"), [-0.003637392, -0.158808, 0, 0.345714, 0.841192, 2.996363], [-0.01158417, -0.08296408, 0.5, 0.8673699, 1.082964, 1.011584]),
        ["elu(alpha=1)"] = (() => new ELU(1.0), [-0.9502129, -0.6321206, 0, 0.5, 1, 3], [0.04978707, 0.3678794, 1, 1, 1, 1]),
        ["selu"] = (() => new SELU(), [-1.670569, -1.111331, 0, 0.5253505, 1.050701, 3.152103], [0.08753061, 0.6467686, 1.758099, 1.050701, 1.050701, 1.050701]),
        ["softplus(b=1,th=20)"] = (() => new Softplus(1, 20), [0.04858735, 0.3132617, 0.6931472, 0.974077, 1.313262, 3.048587], [0.04742587, 0.2689414, 0.5, 0.6224593, 0.7310586, 0.9525741]),
        ["softplus(b=2,th=20)"] = (() => new Softplus(2, 20), [0.001237843, 0.06346401, 0.3465736, 0.6566308, 1.063464, 3.001238], [0.002472623, 0.1192029, 0.5, 0.7310586, 0.8807971, 0.9975274]),
        ["mish"] = (() => new Mish(), [-0.1456475, -0.3034015, 0, 0.3752452, 0.8650984, 2.986535], [-0.09339311, 0.05921676, 0.6, 0.8864244, 1.049036, 1.021107]),
        ["x*tanh(x)"] = (() => new XTanh(), [2.985164, 0.7615942, 0, 0.2310586, 0.7615942, 2.985164], [-1.024653, -1.181568, 0, 0.855341, 1.181568, 1.024653]),
        ["x*sin(x)"] = (() => new XSin(), [0.42336, 0.841471, 0, 0.2397128, 0.841471, 0.42336], [2.828857, -1.381773, 0, 0.9182168, 1.381773, -2.828857]),
    };

    // The table prints 7 significant digits (fewer where trailing zeros were dropped): half a unit in the 7th digit.
    private static void ShouldMatchTable(double actual, double expected, string what) =>
        actual.Should().BeApproximately(expected, Math.Max(Math.Abs(expected) * 6e-7, 1e-9) + (expected == 0.42336 || expected == 0.841471 ? 5e-6 : 0), what);

    [Theory]
    [MemberData(nameof(Names))]
    public void OracleMatchesTheTable(string name)
    {
        var (create, values, derivatives) = Table[name];
        var module = create();
        for (int i = 0; i < Points.Length; i++)
        {
            ShouldMatchTable(module.Value(Points[i]), values[i], $"{name}({Points[i]})");
            ShouldMatchTable(module.Derivative(Points[i]), derivatives[i], $"{name}'({Points[i]})");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ModuleForwardAndBackwardMatchTheTableInFloat64(string name)
    {
        using var scope = NewDisposeScope();
        var (create, values, derivatives) = Table[name];
        var x = tensor(Points, ScalarType.Float64).requires_grad_(true);
        var y = create().call(x);
        y.backward([ones_like(y)]);
        double[] ys = y.detach().data<double>().ToArray();
        double[] gs = x.grad!.data<double>().ToArray();
        for (int i = 0; i < Points.Length; i++)
        {
            ShouldMatchTable(ys[i], values[i], $"{name}({Points[i]})");
            ShouldMatchTable(gs[i], derivatives[i], $"{name}'({Points[i]})");
        }
    }

    [Fact]
    public void PreluMatchesTheTable()
    {
        using var scope = NewDisposeScope();
        var prelu = new PReLU();
        var x = tensor(Points, ScalarType.Float32).requires_grad_(true);
        var y = prelu.call(x);
        y.backward([ones_like(y)]);
        y.detach().data<float>().ToArray().Should().Equal(-0.75f, -0.25f, 0f, 0.5f, 1f, 3f);
        x.grad!.data<float>().ToArray().Should().Equal(0.25f, 0.25f, 0.25f, 1f, 1f, 1f);
        prelu.Value(-3).Should().Be(-0.75);
        prelu.Derivative(0).Should().Be(0.25);
    }
}
