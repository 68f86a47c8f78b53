namespace TorchFacade.Conformance.Cases.Layers;

/// <summary>
/// The default state of the TorchSharp modules and reductions the notes rely on, against PyTorch's documented defaults:
/// <c>var</c>/<c>std</c> use Bessel's correction (correction = 1) unless told otherwise; <c>nn.Linear</c> has a bias;
/// <c>nn.GroupNorm</c> starts with γ = 1, β = 0 and eps = 1e-5; <c>nn.GELU()</c> is the exact (erf) GELU;
/// <c>nn.Conv2d</c> pads with zeros. A divergence would be reported here and pinned.
/// </summary>
internal sealed class ModuleDefaultsCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            yield return Case(device, "var-std-bessel", "x.var()/x.std() default to the unbiased estimate (÷(n−1)) and std(unbiased: false) divides by n: [1,2,3,4] → 5/3, √(5/3), √1.25; var along a dim likewise", dev =>
            {
                Tensor x = torch.tensor(new double[] { 1, 2, 3, 4 }, device: dev);
                Tensor m = torch.tensor(new double[] { 1, 2, 3, 4, 0, 0, 0, 4 }, device: dev).reshape(2, 4);
                Tolerance tol = Tolerance.For(ScalarType.Float64);
                return LayerCaseKit.Combine(
                    ("var()", Compare.Close([x.var().item<double>()], [5.0 / 3.0], tol, ScalarType.Float64, what: "var")),
                    ("std()", Compare.Close([x.std().item<double>()], [Math.Sqrt(5.0 / 3.0)], tol, ScalarType.Float64, what: "std")),
                    ("std(unbiased: false)", Compare.Close([x.std(unbiased: false).item<double>()], [Math.Sqrt(1.25)], tol, ScalarType.Float64, what: "std")),
                    ("var(0, unbiased: false)", Compare.Close([x.var(0L, unbiased: false).item<double>()], [1.25], tol, ScalarType.Float64, what: "var(dim)")),
                    ("var(1)", Compare.Close(Compare.ToDoubles(m.var(1)), [5.0 / 3.0, 4.0], tol, ScalarType.Float64, what: "var(dim)")));
            });
            yield return Case(device, "var-unbiased-false-ignored", "PyTorch: x.var(unbiased=False) and torch.var(x, unbiased=False) on [1,2,3,4] are 1.25 (a known divergence of TorchSharp 0.107: its all-elements overloads ignore the flag and return 5/3; x.var(0, unbiased: false) and std(unbiased: false) are right)", dev =>
            {
                Tensor x = torch.tensor(new double[] { 1, 2, 3, 4 }, device: dev);
                double method = x.var(unbiased: false).item<double>();
                double function = torch.var(x, unbiased: false).item<double>();
                return CaseResult.Check(
                    Math.Abs(method - 1.25) < 1e-12 && Math.Abs(function - 1.25) < 1e-12,
                    $"x.var(unbiased: false) = {method:R}, torch.var(x, unbiased: false) = {function:R}: not PyTorch's 1.25");
            });
            yield return Case(device, "sum-literal-zero-is-a-dtype", "PyTorch: x.sum(0) sums along dim 0, and so does the port x.sum([0L]) (a known divergence of TorchSharp: the literal 0 converts to ScalarType.Byte, so x.sum(0) sums everything as uint8)", dev =>
            {
                Tensor x = torch.tensor(new float[] { 1.5f, 2.5f, 3.25f, 4f }, device: dev).reshape(2, 2);
                Tensor literal = x.sum(0);
                Tensor explicitDim = x.sum([0L]);
                CaseResult port = Compare.Close(Compare.ToDoubles(explicitDim), [4.75, 6.5], Tolerance.Exact("exact float sums"), ScalarType.Float32, what: "sum([0L])");
                if (port.Outcome != CaseOutcome.Passed)
                {
                    return port;
                }

                return literal.dtype == ScalarType.Float32 && literal.shape.SequenceEqual([2L])
                    ? Compare.Close(Compare.ToDoubles(literal), [4.75, 6.5], Tolerance.Exact("exact float sums"), ScalarType.Float32, what: "sum(0)")
                    : CaseResult.Fail($"x.sum(0) returned dtype {literal.dtype}, shape [{string.Join(", ", literal.shape)}], not the float32 column sums");
            });
            yield return Case(device, "linear-bias", "nn.Linear(in, out) has a bias by default, of shape (out,)", dev =>
            {
                using var linear = nn.Linear(4, 3, device: dev);
                return CaseResult.Check(linear.bias is not null && linear.bias.shape.SequenceEqual(new long[] { 3 }), "nn.Linear(4, 3) has no bias of shape (3,)");
            });
            yield return Case(device, "group-norm-init", "PyTorch's nn.GroupNorm(2, 4) starts with weight = 1, bias = 0, eps = 1e-5; the reference GroupNorm does, and after ones_/zeros_ TorchSharp's module equals it (eps = 1e-5, visible on a group with variance 2.5e-7); TorchSharp's own initial weight/bias are checked too (a known divergence of TorchSharp 0.107: uninitialised memory)", dev =>
            {
                using var norm = nn.GroupNorm(2, 4, device: dev);
                double[] observedWeight = Compare.ToDoubles(norm.weight!), observedBias = Compare.ToDoubles(norm.bias!);
                bool initialised = observedWeight.All(w => w == 1) && observedBias.All(b => b == 0);
                using var reference = new Reference.Layers.GroupNorm(2, 4, device: dev);
                using (torch.no_grad())
                {
                    nn.init.ones_(norm.weight!);
                    nn.init.zeros_(norm.bias!);
                }

                Tensor x = torch.tensor(new double[] { 0, 1e-3, 0, 1e-3, 5, 6, 7, 8 }, device: dev).reshape(1, 4, 2).to(ScalarType.Float32);
                double expected = -5e-4 / Math.Sqrt(2.5e-7 + 1e-5);
                Tolerance tol = Tolerance.For(ScalarType.Float32);
                CaseResult result = LayerCaseKit.Combine(
                    ("reference weight", Compare.Close(Compare.ToDoubles(reference.Weight!), [1, 1, 1, 1], Tolerance.Exact("init"), ScalarType.Float32, what: "weight")),
                    ("reference bias", Compare.Close(Compare.ToDoubles(reference.Bias!), [0, 0, 0, 0], Tolerance.Exact("init"), ScalarType.Float32, what: "bias")),
                    ("eps (TorchSharp)", Compare.Close([Compare.ToDoubles(norm.forward(x))[0]], [expected], tol, ScalarType.Float32, what: "y[0]")),
                    ("eps (reference)", Compare.Close([Compare.ToDoubles(reference.forward(x))[0]], [expected], tol, ScalarType.Float32, what: "y[0]")));
                return result.Outcome == CaseOutcome.Passed && !initialised
                    ? CaseResult.Fail($"TorchSharp's nn.GroupNorm left weight/bias uninitialised (observed weight [{string.Join(", ", observedWeight.Select(w => w.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}])")
                    : result;
            });
            yield return Case(device, "gelu-module-exact", "nn.GELU() defaults to approximate='none': x·Φ(x) with erf", dev =>
            {
                using var gelu = nn.GELU();
                double[] xs = [-3, -1, -0.5, 0, 0.5, 1, 2, 3];
                Tensor x = torch.tensor(xs, device: dev);
                return Compare.Close(Compare.ToDoubles(gelu.forward(x)), xs.Select(LayerOracle.Gelu).ToArray(), Tolerance.For(ScalarType.Float64), ScalarType.Float64, what: "GELU");
            });
            yield return Case(device, "conv2d-padding-zeros", "nn.Conv2d(padding=1) pads with zeros (padding_mode='zeros'): a 3×3 ones kernel on a ones image gives 4 in a corner, 6 on an edge, 9 inside", dev =>
            {
                using var conv = nn.Conv2d(1, 1, 3, padding: 1, bias: false, device: dev, dtype: ScalarType.Float64);
                using (torch.no_grad())
                {
                    conv.weight!.fill_(1.0);
                }

                Tensor y = conv.forward(torch.ones(1, 1, 4, 4, dtype: ScalarType.Float64, device: dev));
                double[] v = Compare.ToDoubles(y);
                return Compare.Close([v[0], v[1], v[5]], [4, 6, 9], Tolerance.Exact("small integer sums"), ScalarType.Float64, what: "corner/edge/inside");
            });
        }
    }

    private static ConformanceCase Case(string device, string name, string claim, Func<Device, CaseResult> run) => CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("defaults", name, device), device, claim, "TorchSharp's defaults vs PyTorch's documented defaults", () => run(ConformanceDevices.Of(device)));
}
