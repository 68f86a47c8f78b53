using CsCheck;
using TorchFacade.Conformance.Cases.Activations;
using TorchFacade.Reference.Activations;

namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>
/// Property: for every element-wise reference activation, over random inputs mixed with the edge values (NaN, ±inf,
/// ±0, float32 and float64 subnormals, huge magnitudes, the overflow thresholds of exp), the forward equals the
/// scalar definition <c>Value(x)</c> and the analytic backward equals <c>Derivative(x)</c>, both evaluated in
/// <see cref="double"/> on the input rounded to the dtype and rounded once to the dtype.
/// </summary>
internal sealed class ActivationProperties : ICaseSource
{
    /// <summary>The edge values every activation must get right.</summary>
    internal static readonly double[] EdgeValues =
    [
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0,
        double.Epsilon, -double.Epsilon, 1e-310, -1e-310, 1.4e-45, -1.4e-45, 1e-40, -1e-40, 1e-30, -1e-30,
        1.0, -1.0, 20, -20, 88.72, -88.72, 103.9, -103.9, 709.78, -709.78, 1e4, -1e4,
        3.4e38, -3.4e38, 1e300, -1e300, double.MaxValue, double.MinValue,
    ];

    private static readonly Gen<double> Element = Gen.Frequency(
        (6, Gen.Double[-12, 12]),
        (3, Gen.OneOf(EdgeValues)),
        (1, Gen.Double));

    private static readonly Gen<ActivationInput> Inputs =
        Gen.Select(Element.Array[1, 24], Gen.OneOf(torch.ScalarType.Float32, torch.ScalarType.Float64), (v, d) => new ActivationInput(v, d));

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (ActivationSpec spec in ActivationSpecs.All)
        {
            foreach (string device in ConformanceDevices.All)
            {
                string id = $"property/activation/{spec.Id}/{device}";
                Gen<ActivationInput> inputs = Inputs;
                yield return CaseKit.Make(CaseGroup.Properties, id, device, $"For random float32/float64 inputs mixed with NaN, ±inf, ±0, subnormals and huge values, the reference {spec.Id} forward is Value(x) and its backward is Derivative(x), evaluated in double and rounded to the dtype.", "reference vs its scalar oracle (double), property-based (CsCheck)", () => PropertyCheck.Run(id, inputs, input => Failure(spec, device, input), Snippets(spec, device)), tolerance: OracleTolerance);
            }
        }
    }

    private static Tolerance OracleTolerance { get; } = new(1.3e-6, 1e-5, "assert_close's float32 default for float32 inputs, its float64 default (1e-7) for float64: the oracle is the same function in double, rounded once");

    private static string? Failure(ActivationSpec spec, string device, ActivationInput input)
    {
        ElementwiseActivation f = spec.Create();
        torch.Tensor x = torch.tensor(input.Values, dtype: torch.ScalarType.Float64).to(input.DType, ConformanceDevices.Of(device));
        double[] xs = Compare.ToDoubles(x);
        double[] forward = Compare.ToDoubles(ActivationCheck.Forward(f, x));
        double[] libTorchForward = Compare.ToDoubles(spec.LibTorch(x));
        if (Mismatch("forward", xs, forward, xs.Select(v => Round(f.Value(v), input.DType)).ToArray(), libTorchForward, input.DType) is { } forwardFailure)
        {
            return forwardFailure;
        }

        torch.Tensor ones = torch.ones_like(x);
        double[] grad = Compare.ToDoubles(ActivationCheck.GradOf(f.call, x, ones));
        double[] libTorchGrad = Compare.ToDoubles(ActivationCheck.GradOf(spec.LibTorch, x, ones));
        return Mismatch("backward", xs, grad, xs.Select(v => Round(f.Derivative(v), input.DType)).ToArray(), libTorchGrad, input.DType);
    }

    /// <summary>
    /// The first element where the reference is neither close to the oracle nor bit-for-bit what LibTorch computes. The
    /// oracle is the definition in double; where that departs from PyTorch at an edge (relu's gradient at NaN is 1 in
    /// PyTorch, a float32 intermediate overflows to NaN in PyTorch's own kernel), PyTorch's result is the truth.
    /// </summary>
    private static string? Mismatch(string what, double[] xs, double[] actual, double[] oracle, double[] libTorch, torch.ScalarType dtype)
    {
        Tolerance tol = Tolerance.For(dtype);
        for (int i = 0; i < xs.Length; i++)
        {
            bool matchesLibTorch = actual[i].Equals(libTorch[i]) || (double.IsNaN(actual[i]) && double.IsNaN(libTorch[i]));
            if (!tol.IsClose(actual[i], oracle[i]) && !matchesLibTorch)
            {
                return $"{what}: x={xs[i]:R} ({DTypeNames.Of(dtype)}) → reference {actual[i]:R}, oracle {oracle[i]:R}, LibTorch {libTorch[i]:R} ({tol})";
            }
        }

        return null;
    }

    private static double Round(double v, torch.ScalarType dtype) => dtype == torch.ScalarType.Float32 ? (float)v : v;

    private static PropertySnippets<ActivationInput> Snippets(ActivationSpec spec, string device) => new(
        input => $"""
            var f = ActivationSpecs.Get("{spec.Id}").Create();
            var x = torch.tensor({PropertyCode.CSharpArray(input.Values)}).to({PropertyCode.CSharpDType(input.DType)}, torch.{(device == "cpu" ? "CPU" : "CUDA")}).requires_grad_(true);
            var y = f.call(x);
            y.backward([torch.ones_like(y)]);
            // compare y and x.grad with f.Value(v) and f.Derivative(v) for each v of x
            """,
        input => $"""
            import torch
            import torch.nn.functional as F
            x = torch.tensor({PropertyCode.PythonList(input.Values)}, dtype=torch.float64).to({PropertyCode.PythonDType(input.DType)}).to('{device}').requires_grad_()
            y = {PythonOf(spec.Id)}
            y.backward(torch.ones_like(y))
            print(y, x.grad)
            """);

    private static string PythonOf(string id) => id switch
    {
        "sigmoid" => "torch.sigmoid(x)",
        "tanh" => "torch.tanh(x)",
        "relu" => "F.relu(x)",
        "leaky-relu" => "F.leaky_relu(x, 0.01)",
        "leaky-relu-0.2" => "F.leaky_relu(x, 0.2)",
        "silu" or "swish-1" => "F.silu(x)",
        "swish-1.5" => "x * torch.sigmoid(1.5 * x)",
        "gelu-none" => "F.gelu(x, approximate='none')",
        "gelu-tanh" => "F.gelu(x, approximate='tanh')",
        "selu" => "F.selu(x)",
        "elu" => "F.elu(x, 1.0)",
        "elu-0.5" => "F.elu(x, 0.5)",
        "softplus" => "F.softplus(x, 1, 20)",
        "softplus-beta2" => "F.softplus(x, 2, 20)",
        "mish" => "F.mish(x)",
        "xtanh" => "x * torch.tanh(x)",
        "xsin" => "x * torch.sin(x)",
        _ => $"{id}(x)",
    };
}
