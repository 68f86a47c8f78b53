using System.Text.Json;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// Golden group, optimizer trajectories (tests/golden/make_optim_golden.py, PyTorch 2.6): random configurations over every
/// option of every reference optimizer, two parameter groups, a frozen parameter, a mid-run learning-rate change; the
/// gradient is the same function of the parameter on both sides (g = a·p + c_t·b, LibTorch ops), and the parameters and
/// every state tensor must match PyTorch's after every step. LBFGS must take PyTorch's iterations and function evaluations.
/// </summary>
internal sealed class GoldenOptimizerTrajectoryCases : ICaseSource
{
    /// <summary>float64: 1e-12 relative (bit-identical steps round the same; the bound leaves room for a pow/exp ulp in a bias correction).</summary>
    public static readonly Tolerance Float64 = new(1e-12, 1e-14, "float64 trajectory vs PyTorch: same LibTorch rounding per op; 1e-12 relative, 1e-14 absolute for values near 0");

    /// <summary>float32: 1e-5 relative, 1e-6 absolute (a few ulp per step over five steps, where a transcendental in the step size differs by an ulp).</summary>
    public static readonly Tolerance Float32 = new(1e-5, 1e-6, "float32 trajectory vs PyTorch: ≤ ~1 ulp per op and step over 5 steps (an ulp in a double-computed step size rounds either way)");

    private static readonly Lazy<(JsonDocument Doc, IReadOnlyDictionary<string, Tensor> Arrays)?> Files = new(Load);

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        if (Files.Value is not { } files)
        {
            yield return CaseKit.Make(CaseGroup.Golden, "golden/optim-trajectories/files-present", "cpu", "the optimizer trajectory goldens made by PyTorch are present in tests/golden/optim", "reference optimizers vs PyTorch trajectories", () => CaseResult.Skip("skipped: tests/golden/optim/optim_configs.json not found"));
            yield break;
        }

        JsonElement root = files.Doc.RootElement;
        string version = root.GetProperty("torch").GetString() ?? "?";
        (string Section, Func<string, string, string> Claim, string Compares, Func<JsonElement, CaseResult> Check)[] families =
        [
            ("configs", (name, options) => $"the reference {name} reproduces PyTorch {version}'s parameters and state after every step ({options})",
                "reference vs PyTorch (tests/golden/make_optim_golden.py): params and every state tensor per step", cfg => Check(cfg, files.Arrays, root)),
            ("lbfgs", (name, options) => $"the reference {name} takes PyTorch {version}'s iterations and function evaluations and reaches its parameters ({options})",
                "reference vs PyTorch: func_evals and n_iter after each of 3 steps (equal), parameters and loss (close)", cfg => CheckLbfgs(cfg, files.Arrays)),
        ];
        foreach ((string section, Func<string, string, string> claim, string compares, Func<JsonElement, CaseResult> check) in families)
        {
            foreach (JsonElement cfg in root.GetProperty(section).EnumerateArray())
            {
                int id = cfg.GetProperty("id").GetInt32();
                string name = cfg.GetProperty("optimizer").GetString()!;
                string dtypeName = cfg.GetProperty("dtype").GetString()!;
                ScalarType dtype = Real(dtypeName);
                JsonElement config = cfg;
                yield return CaseKit.Make(
                    CaseGroup.Golden, $"golden/optim-trajectories/{name}/{id:D3}/{dtypeName}/cpu", "cpu", claim(name, config.GetProperty("options").ToString()), compares,
                    () => check(config), dtype, dtype == ScalarType.Float64 ? Float64 : Float32);
            }
        }
    }

    /// <summary>Builds a reference optimizer from PyTorch's class name and keyword arguments (every key set on every group).</summary>
    /// <param name="name">PyTorch's class name.</param>
    /// <param name="groups">The groups, options already set.</param>
    /// <param name="options">The keyword arguments.</param>
    /// <returns>The optimizer.</returns>
    internal static Optimizer Create(string name, ParamGroup[] groups, IReadOnlyDictionary<string, object?> options) => name switch
    {
        "SGD" => new SGD(groups),
        "Adagrad" => new Adagrad(groups, initialAccumulatorValue: options.TryGetValue("initial_accumulator_value", out object? v) ? (double)v! : 0),
        "RMSprop" => new RMSprop(groups),
        "Adam" => new Adam(groups),
        "AdamW" => new AdamW(groups),
        "NAdam" => new NAdam(groups),
        "RAdam" => new RAdam(groups),
        "Adamax" => new Adamax(groups),
        "Adadelta" => new Adadelta(groups),
        "ASGD" => new ASGD(groups),
        "Rprop" => new Rprop(groups),
        _ => throw new InvalidOperationException($"unknown optimizer {name}"),
    };

    /// <summary>A JSON option as the value PyTorch's key holds (numbers as double, pairs as tuples).</summary>
    /// <param name="e">The JSON value.</param>
    /// <returns>The value.</returns>
    internal static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Array => (e[0].GetDouble(), e[1].GetDouble()),
        _ => throw new InvalidOperationException($"unexpected option {e}"),
    };

    private static ScalarType Real(string dtype) => dtype is "float64" ? ScalarType.Float64 : ScalarType.Float32;

    private static Tensor FromReal(Tensor flat, bool complex) => complex ? torch.view_as_complex(flat.reshape(-1, 2)) : flat;

    private static CaseResult Check(JsonElement cfg, IReadOnlyDictionary<string, Tensor> arrays, JsonElement root)
    {
        using var scope = NewDisposeScope();
        int id = cfg.GetProperty("id").GetInt32();
        string name = cfg.GetProperty("optimizer").GetString()!;
        string dtypeName = cfg.GetProperty("dtype").GetString()!;
        bool complex = dtypeName.StartsWith("complex", StringComparison.Ordinal);
        ScalarType real = Real(dtypeName);
        int[] sizes = root.GetProperty("sizes").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        double[] coeffs = root.GetProperty("coeffs").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        int frozenCount = root.GetProperty("frozen").GetInt32();
        int factor = complex ? 2 : 1;

        Tensor p0 = arrays[$"c{id}.p0"].to(real);
        Tensor ab = arrays[$"c{id}.ab"].to(real);
        Tensor expected = arrays[$"c{id}.traj"].to(ScalarType.Float64);
        var ps = new List<Tensor>();
        var coef = new List<(Tensor A, Tensor B)>();
        long offset = 0, abOffset = 0;
        foreach (int n in sizes)
        {
            ps.Add(FromReal(p0.narrow(0, offset, n * factor).clone(), complex).requires_grad_(true));
            coef.Add((FromReal(ab.narrow(0, abOffset, n * factor).clone(), complex), FromReal(ab.narrow(0, abOffset + (n * factor), n * factor).clone(), complex)));
            offset += n * factor;
            abOffset += 2 * n * factor;
        }

        Tensor frozen = torch.linspace(-1, 1, frozenCount, dtype: ScalarType.Float64).to(complex ? ScalarType.ComplexFloat32 : real);
        var options = cfg.GetProperty("options").EnumerateObject().ToDictionary(o => o.Name, o => Value(o.Value), StringComparer.Ordinal);
        bool twoGroups = cfg.GetProperty("two_groups").GetBoolean();
        ParamGroup[] groups = twoGroups
            ? [new ParamGroup([ps[0], frozen]), new ParamGroup([ps[1]])]
            : [new ParamGroup([ps[0], ps[1], frozen])];
        foreach (ParamGroup g in groups)
        {
            foreach ((string key, object? value) in options)
            {
                g[key] = value;
            }
        }

        if (twoGroups)
        {
            foreach (JsonProperty o in cfg.GetProperty("group2").EnumerateObject())
            {
                groups[1][o.Name] = Value(o.Value);
            }
        }

        using Optimizer opt = Create(name, groups, options);
        int lrChange = cfg.GetProperty("lr_change").GetInt32();
        var layout = cfg.GetProperty("state").EnumerateArray().Select(e => (Param: e[0].GetInt32(), Key: e[1].GetString()!)).ToList();
        long steps = expected.shape[0];
        var actual = new List<double>();
        for (int t = 0; t < steps; t++)
        {
            if (t == lrChange)
            {
                foreach (ParamGroup g in opt.ParamGroups)
                {
                    g.Lr *= 0.25;
                }
            }

            using (torch.no_grad())
            {
                for (int k = 0; k < ps.Count; k++)
                {
                    ps[k].grad = ps[k].detach().mul(coef[k].A).add(coef[k].B, alpha: coeffs[t]);
                }
            }

            opt.Step();
            foreach (Tensor p in ps)
            {
                actual.AddRange(Flat(p));
            }

            foreach ((int param, string key) in layout)
            {
                IReadOnlyDictionary<string, Tensor> state = opt.StateOf(ps[param]);
                if (!state.TryGetValue(key, out Tensor? s))
                {
                    return CaseResult.Fail($"step {t + 1}: parameter {param} has no state '{key}' (PyTorch has it); ours: {string.Join(", ", state.Keys)}");
                }

                actual.AddRange(Flat(s));
            }
        }

        // PyTorch's Adagrad creates every parameter's state in its constructor (step 0); nothing else touches a frozen parameter.
        IReadOnlyDictionary<string, Tensor> frozenState = opt.StateOf(frozen);
        bool untouched = name == "Adagrad"
            ? frozenState.TryGetValue("step", out Tensor? fs) && fs.item<float>() == 0
            : frozenState.Count == 0;
        if (frozen.grad is not null || !untouched)
        {
            return CaseResult.Fail("the frozen parameter (requires_grad false, no grad) got a grad or advanced state");
        }

        double[] want = Compare.ToDoubles(expected);
        Tolerance tolerance = real == ScalarType.Float64 ? Float64 : Float32;
        CaseResult result = Compare.Close(actual.ToArray(), want, tolerance, real, what: "params and state per step");
        int identical = 0;
        for (int i = 0; i < want.Length; i++)
        {
            double a = real == ScalarType.Float32 ? (float)actual[i] : actual[i];
            if (a.Equals(want[i]))
            {
                identical++;
            }
        }

        string note = $"{identical} of {want.Length} values bit-identical to PyTorch";
        return result.Outcome == CaseOutcome.Passed ? CaseResult.Pass(result.Figures, note) : CaseResult.Fail(result.Message + "; " + note, result.Figures, result.FailingInputs);
    }

    private static CaseResult CheckLbfgs(JsonElement cfg, IReadOnlyDictionary<string, Tensor> arrays)
    {
        using var scope = NewDisposeScope();
        int id = cfg.GetProperty("id").GetInt32();
        ScalarType dtype = Real(cfg.GetProperty("dtype").GetString()!);
        Tensor p = arrays[$"l{id}.p0"].to(dtype).clone().requires_grad_(true);
        Tensor ac = arrays[$"l{id}.ac"].to(dtype);
        long n = p.numel();
        Tensor a = ac.narrow(0, 0, n).clone(), c = ac.narrow(0, n, n).clone();
        JsonElement o = cfg.GetProperty("options");
        long maxIter = o.GetProperty("max_iter").GetInt64();
        using var opt = new LBFGS(
            [p],
            lr: o.GetProperty("lr").GetDouble(),
            maxIter: maxIter,
            maxEval: o.TryGetProperty("max_eval", out JsonElement me) ? me.GetInt64() : null,
            toleranceGrad: o.GetProperty("tolerance_grad").GetDouble(),
            toleranceChange: o.GetProperty("tolerance_change").GetDouble(),
            historySize: o.GetProperty("history_size").GetInt64(),
            lineSearchFn: o.GetProperty("line_search_fn").GetString());
        Tensor Closure()
        {
            opt.ZeroGrad();
            Tensor loss = ((p - c).pow(2) * a).sum() + (0.05 * p.pow(4).sum());
            loss.backward();
            return loss;
        }

        var counts = cfg.GetProperty("counts").EnumerateArray().Select(e => (e[0].GetInt64(), e[1].GetInt64())).ToList();
        var actual = new List<double>();
        for (int step = 0; step < counts.Count; step++)
        {
            Tensor loss = opt.Step(Closure)!;
            actual.AddRange(Compare.ToDoubles(p));
            actual.Add(loss.to(ScalarType.Float64).item<double>());
            var sd = opt.StateDict().State[0];
            (long evals, long iters) = ((long)sd["func_evals"]!, (long)sd["n_iter"]!);
            if ((evals, iters) != counts[step])
            {
                return CaseResult.Fail($"step {step + 1}: func_evals {evals}, n_iter {iters}; PyTorch {counts[step].Item1}, {counts[step].Item2}");
            }
        }

        Tolerance tolerance = dtype == ScalarType.Float64 ? Float64 : Float32;
        CaseResult result = Compare.Close(actual.ToArray(), Compare.ToDoubles(arrays[$"l{id}.traj"].to(ScalarType.Float64)), tolerance, dtype, what: "params and loss after each step");
        return result.Outcome == CaseOutcome.Passed ? CaseResult.Pass(result.Figures, $"func_evals/n_iter equal PyTorch's: {string.Join(" ", counts)}") : result;
    }

    private static double[] Flat(Tensor t)
    {
        Tensor r = torch.is_complex(t) ? torch.view_as_real(t.detach()) : t.detach();
        return Compare.ToDoubles(r.reshape(-1));
    }

    private static (JsonDocument, IReadOnlyDictionary<string, Tensor>)? Load()
    {
        if (GoldenFiles.Directory is not { } dir)
        {
            return null;
        }

        string json = Path.Combine(dir, "optim", "optim_configs.json");
        string npz = Path.Combine(dir, "optim", "optim_trajectories.npz");
        if (!File.Exists(json) || !File.Exists(npz))
        {
            return null;
        }

        var arrays = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string key, Tensor value) in Npz.Load(npz))
        {
            arrays[key] = value.DetachFromDisposeScope();
        }

        return (JsonDocument.Parse(File.ReadAllText(json)), arrays);
    }
}
