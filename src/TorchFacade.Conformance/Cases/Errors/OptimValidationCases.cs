using System.Globalization;
using System.Text.Json;
using TorchFacade.Conformance.Cases.Golden;
using TorchFacade.Optim;
using R = TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>
/// Random, often invalid, hyperparameters for every reference optimizer against PyTorch 2.6's answers
/// (<c>tests/golden/optim_validation.json</c>, <c>make_optim_validation_golden.py</c>: 100 seeded configurations per
/// optimizer over negative, -0.0, zero, tiny, one, above-one, NaN and infinite values). Each configuration is
/// constructed over one float32 parameter and stepped twice, as the script does. Where PyTorch raises in the
/// constructor, the reference must raise there too — an <see cref="ArgumentException"/> (PyTorch's ValueError) whose
/// first line contains PyTorch's, values printed as Python prints them, so the first invalid option is the one PyTorch
/// names first; where PyTorch raises in <c>step</c>, the reference must raise in <c>Step</c> with PyTorch's kind and first line; where
/// PyTorch accepts the configuration and steps it, the reference must too (values are not compared here). The facade's
/// wrappers over TorchSharp's built-ins (<see cref="BuiltInOptimizers"/>: SGD, Adam, AdamW, Adagrad, RMSprop) are held to
/// the same rows.
/// </summary>
internal sealed class OptimValidationCases : ICaseSource
{
    private const string FileName = "optim_validation.json";

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<OptimValidationRow>>?> Golden = new(Read);

    private static readonly string[] Names = ["SGD", "Adam", "AdamW", "Adagrad", "RMSprop", "Adadelta", "Adamax", "ASGD", "NAdam", "RAdam", "Rprop", "LBFGS"];

    private static readonly string[] BuiltIns = ["SGD", "Adam", "AdamW", "Adagrad", "RMSprop"];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach ((string name, bool builtIn) in Names.Select(n => (n, false)).Concat(BuiltIns.Select(n => (n, true))))
        {
            string what = builtIn ? $"facade's BuiltInOptimizers.{name} (TorchSharp's)" : $"reference {name}";
            foreach (string device in ConformanceDevices.All)
            {
                yield return new ConformanceCase
                {
                    Id = $"errors/optim-validation/{(builtIn ? "builtin-" : string.Empty)}{name.ToLowerInvariant()}/{device}",
                    Group = CaseGroup.Errors,
                    Claim = $"For 100 random, often invalid, {name} configurations, the {what} raises exactly where PyTorch 2.6 raises (constructor or step), with PyTorch's kind and first line (so the same check fails first), and accepts and steps what PyTorch accepts.",
                    Compares = $"{what} vs PyTorch 2.6's outcomes in tests/golden/{FileName}",
                    Device = device,
                    Tolerance = Tolerance.Exact("raises or not, kind and first line: no tolerance"),
                    Run = () => Run(name, builtIn, ConformanceDevices.Of(device)),
                };
            }
        }
    }

    private static CaseResult Run(string name, bool builtIn, torch.Device device)
    {
        if (Golden.Value is not { } golden)
        {
            return CaseResult.Skip($"skipped: tests/golden/{FileName} not found ({GoldenFiles.MissingReason})");
        }

        IReadOnlyList<OptimValidationRow> rows = golden[name];
        var failures = new List<string>();
        foreach (OptimValidationRow row in rows)
        {
            if (Mismatch(name, builtIn, row, device) is { } why)
            {
                failures.Add($"{name}({row}): {why}");
            }
        }

        int raising = rows.Count(r => r.Kind is not null);
        return failures.Count == 0
            ? CaseResult.Pass(note: $"{rows.Count} configurations: {raising} raise as in PyTorch, {rows.Count - raising} accepted and stepped")
            : CaseResult.Fail($"{failures.Count} of {rows.Count} configurations answered unlike PyTorch 2.6", failingInputs: failures);
    }

    private static string? Mismatch(string name, bool builtIn, OptimValidationRow row, torch.Device device)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor p = torch.tensor(new float[] { 0.5f, -1.5f }, device: device).requires_grad_(true);
        Optimizer opt;
        try
        {
            opt = Create(name, builtIn, [p], row.Options);
        }
        catch (Exception ex)
        {
            return row.Stage == "init" ? Judge(row, ex) : $"the constructor raised {ex.GetType().Name}: {FirstLine(ex)}; PyTorch {(row.Stage is null ? "accepts it" : $"raises in step ({row.Kind}: {row.Message})")}";
        }

        using (opt)
        {
            if (row.Stage == "init")
            {
                return $"accepted; PyTorch raises {row.Kind}: {row.Message}";
            }

            try
            {
                for (int i = 0; i < 2; i++)
                {
                    if (opt is R.LBFGS lbfgs)
                    {
                        lbfgs.Step(() =>
                        {
                            lbfgs.ZeroGrad();
                            torch.Tensor loss = (p * p).sum() + p.sum();
                            loss.backward();
                            return loss;
                        });
                    }
                    else
                    {
                        using (torch.no_grad())
                        {
                            p.grad = (2 * p.detach()) + 1;
                        }

                        opt.Step();
                    }
                }
            }
            catch (Exception ex)
            {
                return row.Stage == "step" ? Judge(row, ex) : $"Step raised {ex.GetType().Name}: {FirstLine(ex)}; PyTorch steps it";
            }
        }

        return row.Stage == "step" ? $"stepped; PyTorch raises {row.Kind} in step: {row.Message}" : null;
    }

    private static string? Judge(OptimValidationRow row, Exception ex)
    {
        string kind = ex switch
        {
            TorchException t => t.PyTorchType,
            ArgumentException => PyTorchErrorTypes.ValueError,
            IndexOutOfRangeException => PyTorchErrorTypes.IndexError,
            DivideByZeroException => "ZeroDivisionError",
            OverflowException => PyTorchErrorTypes.OverflowError,
            _ => ex.GetType().Name,
        };
        if (kind != row.Kind)
        {
            return $"raised {ex.GetType().Name} ({kind}): {FirstLine(ex)}; PyTorch raises {row.Kind}: {row.Message}";
        }

        // PyTorch's first line, values printed as Python prints them, names the check that failed first.
        string message = row.Message ?? string.Empty;
        return FirstLine(ex).Contains(message, StringComparison.Ordinal)
            ? null
            : $"raised {ex.GetType().Name}: {FirstLine(ex)}; PyTorch says: {message}";
    }

    private static string FirstLine(Exception ex) => ex.Message.Split('\n')[0];

    private static Optimizer Create(string name, bool builtIn, torch.Tensor[] ps, IReadOnlyDictionary<string, string> o)
    {
        double F(string key, double fallback) => o.TryGetValue(key, out string? v) ? Float(v) : fallback;
        bool B(string key) => o.TryGetValue(key, out string? v) && v == "True";
        long L(string key, long fallback) => o.TryGetValue(key, out string? v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;
        (double, double)? Pair(string a, string b, double da, double db) => o.ContainsKey(a) || o.ContainsKey(b) ? (F(a, da), F(b, db)) : null;
        (double, double)? betas = Pair("beta1", "beta2", 0.9, 0.999);
        double wd = F("weight_decay", name == "AdamW" ? 1e-2 : 0);
        if (builtIn)
        {
            return name switch
            {
                "SGD" => BuiltInOptimizers.SGD(ps, F("lr", 1e-3), F("momentum", 0), F("dampening", 0), wd, B("nesterov"), B("maximize")),
                "Adam" => BuiltInOptimizers.Adam(ps, F("lr", 1e-3), betas, F("eps", 1e-8), wd, B("amsgrad"), B("maximize")),
                "AdamW" => BuiltInOptimizers.AdamW(ps, F("lr", 1e-3), betas, F("eps", 1e-8), wd, B("amsgrad"), B("maximize")),
                "Adagrad" => BuiltInOptimizers.Adagrad(ps, F("lr", 1e-2), F("lr_decay", 0), wd, F("initial_accumulator_value", 0), F("eps", 1e-10), B("maximize")),
                _ => BuiltInOptimizers.RMSprop(ps, F("lr", 1e-2), F("alpha", 0.99), F("eps", 1e-8), wd, F("momentum", 0), B("centered"), B("maximize")),
            };
        }

        return name switch
        {
            "SGD" => new R.SGD(ps, F("lr", 1e-3), F("momentum", 0), F("dampening", 0), wd, B("nesterov"), B("maximize")),
            "Adam" => new R.Adam(ps, F("lr", 1e-3), betas, F("eps", 1e-8), wd, B("amsgrad"), B("maximize")),
            "AdamW" => new R.AdamW(ps, F("lr", 1e-3), betas, F("eps", 1e-8), wd, B("amsgrad"), B("maximize")),
            "Adagrad" => new R.Adagrad(ps, F("lr", 1e-2), F("lr_decay", 0), wd, F("initial_accumulator_value", 0), F("eps", 1e-10), B("maximize")),
            "RMSprop" => new R.RMSprop(ps, F("lr", 1e-2), F("alpha", 0.99), F("eps", 1e-8), wd, F("momentum", 0), B("centered"), B("maximize")),
            "Adadelta" => new R.Adadelta(ps, F("lr", 1.0), F("rho", 0.9), F("eps", 1e-6), wd, B("maximize")),
            "Adamax" => new R.Adamax(ps, F("lr", 2e-3), betas, F("eps", 1e-8), wd, B("maximize")),
            "ASGD" => new R.ASGD(ps, F("lr", 1e-2), F("lambd", 1e-4), F("alpha", 0.75), F("t0", 1e6), wd, B("maximize")),
            "NAdam" => new R.NAdam(ps, F("lr", 2e-3), betas, F("eps", 1e-8), wd, F("momentum_decay", 4e-3), B("decoupled_weight_decay"), B("maximize")),
            "RAdam" => new R.RAdam(ps, F("lr", 1e-3), betas, F("eps", 1e-8), wd, B("decoupled_weight_decay"), B("maximize")),
            "Rprop" => new R.Rprop(ps, F("lr", 1e-2), Pair("etaminus", "etaplus", 0.5, 1.2), Pair("min_step", "max_step", 1e-6, 50), B("maximize")),
            _ => new R.LBFGS(ps, F("lr", 1), L("max_iter", 20), o.ContainsKey("max_eval") ? L("max_eval", 0) : null, F("tolerance_grad", 1e-7), F("tolerance_change", 1e-9), L("history_size", 100)),
        };
    }

    private static double Float(string repr) => repr switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(repr, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static IReadOnlyDictionary<string, IReadOnlyList<OptimValidationRow>>? Read()
    {
        string? path = GoldenFiles.Directory is { } dir ? Path.Combine(dir, FileName) : null;
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, IReadOnlyList<OptimValidationRow>>(StringComparer.Ordinal);
        foreach (JsonProperty optimizer in doc.RootElement.GetProperty("cases").EnumerateObject())
        {
            result[optimizer.Name] = optimizer.Value.EnumerateArray().Select(r => new OptimValidationRow(
                r.GetProperty("options").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
                r.GetProperty("stage").GetString(),
                r.GetProperty("kind").GetString(),
                r.GetProperty("message").GetString())).ToArray();
        }

        return result;
    }
}
