using System.Text.Json;
using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;

namespace TorchFacade.Conformance.Cases.Schedulers;

/// <summary>
/// Builds the optimizer and the scheduler that a golden configuration describes, with exactly the arguments PyTorch
/// got — an argument the configuration leaves out takes the C# default, so the defaults are checked too.
/// </summary>
internal static class SchedulerFactory
{
    /// <summary>The optimizer of a configuration: one float64 parameter per group on <paramref name="device"/>.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="device">The device of the parameters.</param>
    /// <returns>The optimizer.</returns>
    public static Optimizer Optimizer(JsonElement config, torch.Device device)
    {
        var groups = config.GetProperty("groups").EnumerateArray().ToList();
        torch.Tensor Param() => torch.zeros([2], dtype: torch.ScalarType.Float64, device: device).requires_grad_(true);
        string kind = config.GetProperty("optimizer").GetString()!;
        Optimizer opt = kind switch
        {
            "sgd" => new Reference.Optimizers.SGD([Param()], lr: 0.1, momentum: 0.9),
            "adam" => new Reference.Optimizers.Adam([Param()], lr: 0.1, betas: (0.9, 0.999)),
            "adagrad" => new Reference.Optimizers.Adagrad([Param()], lr: 0.1),
            _ => throw new InvalidDataException($"unknown golden optimizer '{kind}'"),
        };
        for (int i = 1; i < groups.Count; i++)
        {
            opt.AddParamGroup([Param()]);
        }

        for (int i = 0; i < groups.Count; i++)
        {
            opt.ParamGroups[i].Lr = groups[i].GetProperty("lr").GetDouble();
            if (groups[i].TryGetProperty("initial_lr", out JsonElement initial))
            {
                opt.ParamGroups[i]["initial_lr"] = initial.GetDouble();
            }
        }

        return opt;
    }

    /// <summary>The scheduler a spec (<c>{"kind": ..., "args": {...}}</c>) describes.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="opt">The optimizer.</param>
    /// <returns>The scheduler.</returns>
    public static LRScheduler Scheduler(JsonElement spec, Optimizer opt)
    {
        string kind = spec.GetProperty("kind").GetString()!;
        JsonElement a = spec.TryGetProperty("args", out JsonElement args) ? args : default;
        bool Has(string key) => a.ValueKind == JsonValueKind.Object && a.TryGetProperty(key, out _);
        JsonElement Arg(string key) => a.GetProperty(key);
        double D(string key, double fallback) => Has(key) ? Arg(key).GetDouble() : fallback;
        int I(string key, int fallback) => Has(key) ? Arg(key).GetInt32() : fallback;
        int? NI(string key) => Has(key) ? Arg(key).GetInt32() : null;
        string S(string key, string fallback) => Has(key) ? Arg(key).GetString()! : fallback;
        bool B(string key, bool fallback) => Has(key) ? Arg(key).GetBoolean() : fallback;
        PerGroup P(string key) => Per(Arg(key));
        PerGroup? NP(string key) => Has(key) ? Per(Arg(key)) : (PerGroup?)null;
        int last = I("last_epoch", -1);
        return kind switch
        {
            "LambdaLR" => Arg("lr_lambda").ValueKind == JsonValueKind.Array
                ? new LambdaLR(opt, Arg("lr_lambda").EnumerateArray().Select(Lambda).ToList(), last)
                : new LambdaLR(opt, Lambda(Arg("lr_lambda")), last),
            "MultiplicativeLR" => Arg("lr_lambda").ValueKind == JsonValueKind.Array
                ? new MultiplicativeLR(opt, Arg("lr_lambda").EnumerateArray().Select(Lambda).ToList(), last)
                : new MultiplicativeLR(opt, Lambda(Arg("lr_lambda")), last),
            "StepLR" => Has("gamma") ? new StepLR(opt, I("step_size", 0), D("gamma", 0), last) : new StepLR(opt, I("step_size", 0), lastEpoch: last),
            "MultiStepLR" => Has("gamma")
                ? new MultiStepLR(opt, Arg("milestones").EnumerateArray().Select(m => m.GetInt32()).ToList(), D("gamma", 0), last)
                : new MultiStepLR(opt, Arg("milestones").EnumerateArray().Select(m => m.GetInt32()).ToList(), lastEpoch: last),
            "ConstantLR" => Has("factor") ? new ConstantLR(opt, D("factor", 0), I("total_iters", 5), last) : new ConstantLR(opt, totalIters: I("total_iters", 5), lastEpoch: last),
            "LinearLR" => Construct(() => new LinearLR(opt, totalIters: I("total_iters", 5), lastEpoch: last), Has("start_factor") || Has("end_factor"),
                () => new LinearLR(opt, Has("start_factor") ? D("start_factor", 0) : 1.0 / 3, Has("end_factor") ? D("end_factor", 0) : 1.0, I("total_iters", 5), last)),
            "ExponentialLR" => new ExponentialLR(opt, D("gamma", 0), last),
            "PolynomialLR" => Has("power") ? new PolynomialLR(opt, I("total_iters", 5), D("power", 0), last) : new PolynomialLR(opt, I("total_iters", 5), lastEpoch: last),
            "CosineAnnealingLR" => Has("eta_min") ? new CosineAnnealingLR(opt, I("T_max", 0), D("eta_min", 0), last) : new CosineAnnealingLR(opt, I("T_max", 0), lastEpoch: last),
            "CosineAnnealingWarmRestarts" => Has("eta_min")
                ? new CosineAnnealingWarmRestarts(opt, I("T_0", 0), I("T_mult", 1), D("eta_min", 0), last)
                : new CosineAnnealingWarmRestarts(opt, I("T_0", 0), Has("T_mult") ? I("T_mult", 1) : 1, lastEpoch: last),
            "CyclicLR" => new CyclicLR(
                opt,
                P("base_lr"),
                P("max_lr"),
                stepSizeUp: I("step_size_up", 2000),
                stepSizeDown: NI("step_size_down"),
                mode: S("mode", "triangular"),
                gamma: D("gamma", 1.0),
                scaleFn: Has("scale_fn") ? Scale(Arg("scale_fn")) : null,
                scaleMode: S("scale_mode", "cycle"),
                cycleMomentum: B("cycle_momentum", true),
                baseMomentum: NP("base_momentum"),
                maxMomentum: NP("max_momentum"),
                lastEpoch: last),
            "OneCycleLR" => new OneCycleLR(
                opt,
                P("max_lr"),
                totalSteps: NI("total_steps"),
                epochs: NI("epochs"),
                stepsPerEpoch: NI("steps_per_epoch"),
                pctStart: D("pct_start", 0.3),
                annealStrategy: S("anneal_strategy", "cos"),
                cycleMomentum: B("cycle_momentum", true),
                baseMomentum: NP("base_momentum"),
                maxMomentum: NP("max_momentum"),
                divFactor: D("div_factor", 25.0),
                finalDivFactor: D("final_div_factor", 1e4),
                threePhase: B("three_phase", false),
                lastEpoch: last),
            "ReduceLROnPlateau" => new ReduceLROnPlateau(
                opt,
                mode: S("mode", "min"),
                factor: D("factor", 0.1),
                patience: I("patience", 10),
                threshold: D("threshold", 1e-4),
                thresholdMode: S("threshold_mode", "rel"),
                cooldown: I("cooldown", 0),
                minLr: NP("min_lr"),
                eps: D("eps", 1e-8)),
            "SequentialLR" => new SequentialLR(
                opt,
                Arg("schedulers").EnumerateArray().Select(c => Scheduler(c, opt)).ToList(),
                Arg("milestones").EnumerateArray().Select(m => m.GetInt32()).ToList(),
                last),
            "ChainedScheduler" => new ChainedScheduler(
                Arg("schedulers").EnumerateArray().Select(c => Scheduler(c, opt)).ToList(),
                B("pass_optimizer", false) ? opt : null),
            _ => throw new InvalidDataException($"unknown golden scheduler '{kind}'"),
        };
    }

    /// <summary>The lambdas of the golden script, by name (the same expressions, evaluated in the same order).</summary>
    /// <param name="spec">The lambda's spec.</param>
    /// <returns>The function.</returns>
    public static Func<int, double> Lambda(JsonElement spec)
    {
        string kind = spec.GetProperty("kind").GetString()!;
        switch (kind)
        {
            case "pow":
                double g = spec.GetProperty("g").GetDouble();
                return e => Math.Pow(g, e);
            case "inv":
                double a = spec.GetProperty("a").GetDouble();
                return e => 1.0 / (1.0 + (a * e));
            case "stair":
                int s = spec.GetProperty("s").GetInt32();
                double gs = spec.GetProperty("g").GetDouble();
                return e => Math.Pow(gs, Math.Floor((double)e / s));
            case "const":
                double c = spec.GetProperty("c").GetDouble();
                return _ => c;
            case "alt":
                return e => e % 2 != 0 ? 0.9 : 1.05;
            default:
                throw new InvalidDataException($"unknown golden lambda '{kind}'");
        }
    }

    /// <summary>The custom CyclicLR scale functions of the golden script.</summary>
    /// <param name="spec">The function's spec.</param>
    /// <returns>The function.</returns>
    public static Func<double, double> Scale(JsonElement spec)
    {
        string kind = spec.GetProperty("kind").GetString()!;
        switch (kind)
        {
            case "halfpow":
                return x => Math.Pow(0.5, x);
            case "inv":
                double a = spec.GetProperty("a").GetDouble();
                return x => 1.0 / (1.0 + (a * x));
            default:
                throw new InvalidDataException($"unknown golden scale_fn '{kind}'");
        }
    }

    private static PerGroup Per(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? new PerGroup(e.EnumerateArray().Select(v => v.GetDouble())) : new PerGroup(e.GetDouble());

    private static LRScheduler Construct(Func<LRScheduler> withDefaults, bool explicitArgs, Func<LRScheduler> withArgs) =>
        explicitArgs ? withArgs() : withDefaults();
}
