namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>CyclicLR</c> (cyclical learning rates): each group's learning rate cycles between <c>baseLr</c> and
/// <c>maxLr</c> (triangular, triangular2 or exp_range policy, or a custom <c>scaleFn</c>), and its momentum — or the
/// first of its <c>betas</c> — cycles inversely between <c>maxMomentum</c> and <c>baseMomentum</c>. Step it after
/// every batch.
/// </summary>
public sealed class CyclicLR : LRScheduler
{
    private readonly Func<double, double>? scaleFnCustom;
    private List<double> maxLrs;
    private double totalSize;
    private double stepRatio;
    private string mode;
    private double gamma;
    private string scaleMode;
    private bool cycleMomentum;
    private bool useBeta1;
    private List<double>? baseMomentums;
    private List<double>? maxMomentums;

    /// <summary>Creates the schedule (and sets each group's lr to its <paramref name="baseLr"/>, momentum to its <paramref name="maxMomentum"/>).</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="baseLr">The lower boundary of the cycle, one value or one per group (PyTorch's <c>base_lr</c>).</param>
    /// <param name="maxLr">The upper boundary, one value or one per group (PyTorch's <c>max_lr</c>).</param>
    /// <param name="stepSizeUp">Iterations in the increasing half of a cycle (default 2000).</param>
    /// <param name="stepSizeDown">Iterations in the decreasing half; <see langword="null"/> for <paramref name="stepSizeUp"/>.</param>
    /// <param name="mode"><c>"triangular"</c>, <c>"triangular2"</c> or <c>"exp_range"</c> (ignored with <paramref name="scaleFn"/>).</param>
    /// <param name="gamma">The constant of <c>exp_range</c>: amplitude × gamma^iterations (default 1).</param>
    /// <param name="scaleFn">A custom amplitude scaling, 0 ≤ scaleFn(x) ≤ 1; replaces <paramref name="mode"/>.</param>
    /// <param name="scaleMode"><c>"cycle"</c> or <c>"iterations"</c>: what <paramref name="scaleFn"/> is evaluated on (default cycle).</param>
    /// <param name="cycleMomentum">Whether momentum (or beta1) cycles inversely to the lr (default true).</param>
    /// <param name="baseMomentum">The lower momentum boundary (default 0.8), one value or one per group.</param>
    /// <param name="maxMomentum">The upper momentum boundary (default 0.9), one value or one per group.</param>
    /// <param name="lastEpoch">The index of the last batch (PyTorch's <c>last_epoch</c>), −1 to start.</param>
    /// <exception cref="ArgumentException">A per-group list of the wrong length, an unknown mode without <paramref name="scaleFn"/>, or momentum cycling on an optimizer without <c>momentum</c> or <c>betas</c> (PyTorch's messages).</exception>
    /// <exception cref="DivideByZeroException">Both step sizes are 0.</exception>
    public CyclicLR(
        Optimizer optimizer,
        PerGroup baseLr,
        PerGroup maxLr,
        int stepSizeUp = 2000,
        int? stepSizeDown = null,
        string mode = "triangular",
        double gamma = 1.0,
        Func<double, double>? scaleFn = null,
        string scaleMode = "cycle",
        bool cycleMomentum = true,
        PerGroup? baseMomentum = null,
        PerGroup? maxMomentum = null,
        int lastEpoch = -1)
        : base(optimizer)
    {
        TensorChecks.ThrowIfNull(mode, "CyclicLR");
        TensorChecks.ThrowIfNull(scaleMode, "CyclicLR");
        List<double> baseLrs = baseLr.Format(nameof(CyclicLR), "base_lr", optimizer);
        if (lastEpoch == -1)
        {
            for (int i = 0; i < baseLrs.Count; i++)
            {
                optimizer.ParamGroups[i].Lr = baseLrs[i];
            }
        }

        maxLrs = maxLr.Format(nameof(CyclicLR), "max_lr", optimizer);
        double up = stepSizeUp;
        double down = stepSizeDown ?? up;
        totalSize = up + down;
        stepRatio = PyMath.Div(up, totalSize, "CyclicLR", "step_size_up / (step_size_up + step_size_down)", "Pass step_size_up + step_size_down > 0.");
        Require(mode is "triangular" or "triangular2" or "exp_range" || scaleFn is not null, "mode is invalid and scale_fn is None");

        this.mode = mode;
        this.gamma = gamma;
        scaleFnCustom = scaleFn;
        this.scaleMode = scaleMode;
        InitScaleFn();
        this.cycleMomentum = cycleMomentum;
        if (cycleMomentum)
        {
            useBeta1 = MomentumCycling.UseBeta1(optimizer, nameof(CyclicLR));
            baseMomentums = (baseMomentum ?? 0.8).Format(nameof(CyclicLR), "base_momentum", optimizer);
            maxMomentums = (maxMomentum ?? 0.9).Format(nameof(CyclicLR), "max_momentum", optimizer);
            if (lastEpoch == -1)
            {
                MomentumCycling.SetBounds(optimizer, useBeta1, maxMomentums, baseMomentums);
            }
        }

        Initialize(lastEpoch);
        BaseLrs = baseLrs;
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr()
    {
        double cycle = Math.Floor(1 + (LastEpoch / totalSize));
        double x = 1.0 + (LastEpoch / totalSize) - cycle;
        double scaleFactor = x <= stepRatio ? PyMath.Div(x, stepRatio, "CyclicLR.Step", "x / step_ratio", "Pass step_size_up > 0.") : PyMath.Div(x - 1, stepRatio - 1, "CyclicLR.Step", "(x - 1) / (step_ratio - 1)", "Pass step_size_down > 0.");
        double scale = ScaleFn(scaleMode == "cycle" ? cycle : LastEpoch);
        var lrs = BaseLrs.Zip(maxLrs, (b, m) => b + ((m - b) * scaleFactor * scale)).ToList();
        if (cycleMomentum && baseMomentums is not null && maxMomentums is not null)
        {
            var momentums = baseMomentums.Zip(maxMomentums, (b, m) => m - ((m - b) * scaleFactor * scale)).ToList();
            MomentumCycling.Set(Optimizer, useBeta1, momentums);
        }

        return lrs;
    }

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("max_lrs", () => StateValues.List(maxLrs), v => maxLrs = StateValues.Doubles(v, "max_lrs")),
        new("total_size", () => totalSize, v => totalSize = StateValues.Double(v, "total_size")),
        new("step_ratio", () => stepRatio, v => stepRatio = StateValues.Double(v, "step_ratio")),
        new("mode", () => mode, v => mode = StateValues.Str(v, "mode")),
        new("gamma", () => gamma, v => gamma = StateValues.Double(v, "gamma")),
        new("scale_mode", () => scaleMode, v => scaleMode = StateValues.Str(v, "scale_mode")),
        new("cycle_momentum", () => cycleMomentum, v => cycleMomentum = StateValues.Bool(v, "cycle_momentum")),
        new("use_beta1", () => useBeta1, v => useBeta1 = StateValues.Bool(v, "use_beta1"), () => baseMomentums is not null),
        new("base_momentums", () => StateValues.List(baseMomentums ?? []), v => baseMomentums = StateValues.Doubles(v, "base_momentums"), () => baseMomentums is not null),
        new("max_momentums", () => StateValues.List(maxMomentums ?? []), v => maxMomentums = StateValues.Doubles(v, "max_momentums"), () => maxMomentums is not null),
        .. BaseFields(),
        new("_scale_fn_custom", () => null, v =>
        {
            if (v is not null)
            {
                throw new NotSupportedException("The state dict holds the saved attributes of a callable scale_fn object (PyTorch saves those, not plain functions); a C# delegate has no such state. Save the PyTorch scheduler with a plain function or lambda.");
            }
        }),
    ];

    /// <inheritdoc />
    private protected override void AfterLoad() => InitScaleFn();

    // PyTorch's _init_scale_fn: the built-in policies fix the scale mode.
    private void InitScaleFn()
    {
        if (scaleFnCustom is not null)
        {
            return;
        }

        scaleMode = mode switch
        {
            "triangular" or "triangular2" => "cycle",
            "exp_range" => "iterations",
            _ => scaleMode,
        };
    }

    private double ScaleFn(double x)
    {
        if (scaleFnCustom is not null)
        {
            return scaleFnCustom(x);
        }

        return mode switch
        {
            "triangular" => 1.0,
            "triangular2" => 1 / Math.Pow(2.0, x - 1),
            "exp_range" => Math.Pow(gamma, x),
            _ => throw new InvalidOperationException($"CyclicLR has mode '{mode}' and no scale_fn; use 'triangular', 'triangular2' or 'exp_range'."),
        };
    }
}
