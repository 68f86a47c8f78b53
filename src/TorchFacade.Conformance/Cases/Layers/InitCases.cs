namespace TorchFacade.Conformance.Cases.Layers;

/// <summary>
/// Initialisation statistics: the defaults of <c>nn.Linear</c>/<c>nn.Conv2d</c> (<c>kaiming_uniform_(a=√5)</c>, i.e.
/// U(−1/√fan_in, 1/√fan_in), variance 1/(3·fan_in) — not He's 2/fan_in, see errata) and the explicit Xavier/Kaiming
/// initialisers, checked on large tensors: every |w| within the bound, and the sample mean and variance within six
/// standard errors of the distribution's (seeded, so the result is deterministic).
/// </summary>
internal sealed class InitCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            yield return Case(device, "linear-default", "nn.Linear(512, 256): weight and bias ~ U(−1/√512, 1/√512), Var(w) = 1/(3·512)", dev =>
            {
                torch.manual_seed(41);
                using var linear = nn.Linear(512, 256, device: dev);
                double bound = 1 / Math.Sqrt(512);
                return LayerCaseKit.Combine(("weight", Uniform(linear.weight!, bound)), ("bias", UniformBoundOnly(linear.bias!, bound)));
            });
            yield return Case(device, "conv2d-default", "nn.Conv2d(64, 128, 3): weight and bias ~ U(−√k, √k), k = 1/(64·3·3)", dev =>
            {
                torch.manual_seed(42);
                using var conv = nn.Conv2d(64, 128, 3, device: dev);
                double bound = 1 / Math.Sqrt(64 * 9);
                return LayerCaseKit.Combine(("weight", Uniform(conv.weight!, bound)), ("bias", UniformBoundOnly(conv.bias!, bound)));
            });
            yield return Case(device, "conv2d-default-groups=4", "nn.Conv2d(64, 128, 3, groups=4): k = groups/(C_in·3·3) = 1/144 (fan_in counts in_channels/groups)", dev =>
            {
                torch.manual_seed(43);
                using var conv = nn.Conv2d(64, 128, 3, groups: 4, device: dev);
                double bound = 1 / Math.Sqrt(16 * 9);
                return LayerCaseKit.Combine(("weight", Uniform(conv.weight!, bound)), ("bias", UniformBoundOnly(conv.bias!, bound)));
            });
            yield return Case(device, "xavier-uniform", "xavier_uniform_(W (300×500), gain=5/3): U(−b, b), b = gain·√(6/(fan_in + fan_out))", dev =>
            {
                torch.manual_seed(44);
                using Tensor w = torch.empty(300, 500, device: dev);
                nn.init.xavier_uniform_(w, 5.0 / 3.0);
                return Uniform(w, 5.0 / 3.0 * Math.Sqrt(6.0 / 800));
            });
            yield return Case(device, "xavier-normal", "xavier_normal_(W (300×500)): N(0, σ²), σ = √(2/(fan_in + fan_out))", dev =>
            {
                torch.manual_seed(45);
                using Tensor w = torch.empty(300, 500, device: dev);
                nn.init.xavier_normal_(w);
                return Normal(w, Math.Sqrt(2.0 / 800));
            });
            yield return Case(device, "kaiming-uniform", "kaiming_uniform_(W (300×500)) with the defaults a=0, fan_in, leaky_relu: bound = √2·√(3/fan_in)", dev =>
            {
                torch.manual_seed(46);
                using Tensor w = torch.empty(300, 500, device: dev);
                nn.init.kaiming_uniform_(w);
                return Uniform(w, Math.Sqrt(2.0) * Math.Sqrt(3.0 / 500));
            });
            yield return Case(device, "kaiming-normal-fan-out-relu", "kaiming_normal_(W (300×500), mode=fan_out, relu): σ = √2/√fan_out (He: Var = 2/n)", dev =>
            {
                torch.manual_seed(47);
                using Tensor w = torch.empty(300, 500, device: dev);
                nn.init.kaiming_normal_(w, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                return Normal(w, Math.Sqrt(2.0) / Math.Sqrt(300));
            });
        }

        foreach (string device in ConformanceDevices.All)
        {
            yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("init", "calculate-gain", device), device, "calculate_gain: linear/conv/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1 + 0.01²)) with PyTorch's default slope 0.01", "TorchSharp's nn.init.calculate_gain vs PyTorch's documented values", CalculateGain);
        }
    }

    private static ConformanceCase Case(string device, string name, string claim, Func<Device, CaseResult> run) => CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("init", name, "float32", device), device, claim, "LibTorch's initialisation vs the distribution's bound and moments (6 standard errors)", () => run(ConformanceDevices.Of(device)), ScalarType.Float32);

    /// <summary>U(−b, b): all |w| ≤ b, max |w| close to b, mean ≈ 0 and variance ≈ b²/3 within six standard errors.</summary>
    private static CaseResult Uniform(Tensor w, double bound)
    {
        double[] v = Compare.ToDoubles(w);
        int n = v.Length;
        double maxAbs = v.Max(Math.Abs);
        double mean = v.Average();
        double variance = v.Sum(x => x * x) / n;
        double expectedVariance = bound * bound / 3;
        double meanTol = 6 * Math.Sqrt(expectedVariance / n);
        double varTol = 6 * Math.Sqrt(((bound * bound * bound * bound / 5) - (expectedVariance * expectedVariance)) / n);
        string stats = $"n={n}, max|w|={maxAbs:G6} (bound {bound:G6}), mean={mean:G3}, var={variance:G6} (expected {expectedVariance:G6} ± {varTol:G2})";
        if (maxAbs > bound * (1 + 1e-6))
        {
            return CaseResult.Fail("a weight exceeds the bound: " + stats);
        }

        if (maxAbs < bound * 0.99)
        {
            return CaseResult.Fail("the weights do not reach the bound (a narrower distribution?): " + stats);
        }

        if (Math.Abs(mean) > meanTol || Math.Abs(variance - expectedVariance) > varTol)
        {
            return CaseResult.Fail("moments off: " + stats);
        }

        return CaseResult.Pass(note: stats);
    }

    private static CaseResult UniformBoundOnly(Tensor b, double bound)
    {
        double[] v = Compare.ToDoubles(b);
        double maxAbs = v.Max(Math.Abs);
        return CaseResult.Check(maxAbs <= bound * (1 + 1e-6) && maxAbs >= bound * 0.8, $"bias max|b| = {maxAbs:G6}, bound {bound:G6} (n={v.Length})");
    }

    /// <summary>N(0, σ²): mean and variance within six standard errors.</summary>
    private static CaseResult Normal(Tensor w, double std)
    {
        double[] v = Compare.ToDoubles(w);
        int n = v.Length;
        double mean = v.Average();
        double variance = v.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        double expected = std * std;
        double meanTol = 6 * std / Math.Sqrt(n);
        double varTol = 6 * expected * Math.Sqrt(2.0 / n);
        string stats = $"n={n}, mean={mean:G3}, var={variance:G6} (expected {expected:G6} ± {varTol:G2})";
        return Math.Abs(mean) <= meanTol && Math.Abs(variance - expected) <= varTol ? CaseResult.Pass(note: stats) : CaseResult.Fail("moments off: " + stats);
    }

    private static CaseResult CalculateGain()
    {
        (nn.init.NonlinearityType type, double expected)[] table =
        [
            (nn.init.NonlinearityType.Linear, 1), (nn.init.NonlinearityType.Conv2D, 1), (nn.init.NonlinearityType.Sigmoid, 1),
            (nn.init.NonlinearityType.Tanh, 5.0 / 3.0), (nn.init.NonlinearityType.ReLU, Math.Sqrt(2.0)),
        ];
        var wrong = table.Where(r => Math.Abs(nn.init.calculate_gain(r.type) - r.expected) > 1e-12).Select(r => $"{r.type}: {nn.init.calculate_gain(r.type)} vs {r.expected}").ToList();
        double pytorchLeaky = Math.Sqrt(2.0 / (1 + (0.01 * 0.01)));
        double explicitSlope = nn.init.calculate_gain(nn.init.NonlinearityType.LeakyReLU, 0.01);
        if (Math.Abs(explicitSlope - pytorchLeaky) > 1e-12)
        {
            wrong.Add($"LeakyReLU(param 0.01): {explicitSlope} vs {pytorchLeaky}");
        }

        if (wrong.Count > 0)
        {
            return CaseResult.Fail(string.Join("; ", wrong));
        }

        // PyTorch: calculate_gain('leaky_relu') with param=None uses slope 0.01. TorchSharp's parameter defaults to 0.
        double defaultSlope = nn.init.calculate_gain(nn.init.NonlinearityType.LeakyReLU);
        return CaseResult.Check(Math.Abs(defaultSlope - pytorchLeaky) <= 1e-12, $"calculate_gain(LeakyReLU) without a slope gives {defaultSlope:R}, PyTorch's default slope 0.01 gives {pytorchLeaky:R}");
    }
}
