using System.Globalization;
using System.Text.Json;
using TorchFacade.Conformance.Cases.Golden;
using TorchFacade.Conformance.Cases.Optimizers;
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
    public IEnumerable<ConformanceCase> Cases() =>
        Names.Select(n => (Name: n, BuiltIn: false)).Concat(BuiltIns.Select(n => (Name: n, BuiltIn: true))).SelectMany(o =>
        {
            string what = o.BuiltIn ? $"facade's BuiltInOptimizers.{o.Name} (TorchSharp's)" : $"reference {o.Name}";
            return CaseKit.PerDevice(
                CaseGroup.Errors,
                device => $"errors/optim-validation/{(o.BuiltIn ? "builtin-" : string.Empty)}{o.Name.ToLowerInvariant()}/{device}",
                $"For 100 random, often invalid, {o.Name} configurations, the {what} raises exactly where PyTorch 2.6 raises (constructor or step), with PyTorch's kind and first line (so the same check fails first), and accepts and steps what PyTorch accepts.",
                $"{what} vs PyTorch 2.6's outcomes in tests/golden/{FileName}",
                device => Run(o.Name, o.BuiltIn, device),
                tolerance: Tolerance.Exact("raises or not, kind and first line: no tolerance"),
                skipWhen: () => GoldenJson.MissingReason(FileName));
        });

    private static CaseResult Run(string name, bool builtIn, torch.Device device)
    {
        IReadOnlyList<OptimValidationRow> rows = Golden.Value![name];
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
        if (NewerOptimizers.Names.Contains(name))
        {
            return NewerOptimizers.Create(name, ps, o.ToDictionary(kv => kv.Key, kv => kv.Value switch { "True" => 1.0, "False" => 0.0, _ => Float(kv.Value) }, StringComparer.Ordinal));
        }

        if (name == "LBFGS")
        {
            return new R.LBFGS(ps, F("lr", 1), L("max_iter", 20), o.ContainsKey("max_eval") ? L("max_eval", 0) : null, F("tolerance_grad", 1e-7), F("tolerance_change", 1e-9), L("history_size", 100));
        }

        // SGD, Adam, AdamW, Adagrad, RMSprop: the optimizers group's configuration builds both the reference and the built-in wrapper.
        double? Given(string key) => o.TryGetValue(key, out string? v) ? Float(v) : null;
        var spec = new OptimizerSpec(Enum.Parse<OptimizerKind>(name))
        {
            Lr = Given("lr"),
            Momentum = F("momentum", 0),
            Dampening = F("dampening", 0),
            WeightDecay = Given("weight_decay"),
            Nesterov = B("nesterov"),
            Maximize = B("maximize"),
            Betas = (F("beta1", 0.9), F("beta2", 0.999)),
            Eps = Given("eps"),
            Amsgrad = B("amsgrad"),
            LrDecay = F("lr_decay", 0),
            InitialAccumulatorValue = F("initial_accumulator_value", 0),
            Alpha = F("alpha", 0.99),
            Centered = B("centered"),
        };
        return builtIn ? spec.CreateFacadeBuiltIn(ps) : spec.CreateReference(ps);
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
        if (GoldenJson.Root(FileName) is not { } root)
        {
            return null;
        }

        var result = new Dictionary<string, IReadOnlyList<OptimValidationRow>>(StringComparer.Ordinal);
        foreach (JsonProperty optimizer in root.GetProperty("cases").EnumerateObject())
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
