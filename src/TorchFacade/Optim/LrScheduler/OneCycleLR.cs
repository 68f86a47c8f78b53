namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (the 1cycle policy): each group's learning rate rises from <c>maxLr / divFactor</c> to
/// <c>maxLr</c> over the first <c>pctStart</c> of the steps, then anneals to <c>initial_lr / finalDivFactor</c> (with a
/// third phase when <c>threePhase</c>), cosine or linear; momentum (or beta1) moves inversely. Step it after every
/// batch, <c>totalSteps</c> times at most.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    private int totalSteps;
    private List<Phase> phases;
    private string annealFuncType;
    private bool cycleMomentum;
    private bool useBeta1;
    private bool hasUseBeta1;

    /// <summary>Creates the schedule (and writes <c>initial_lr</c>, <c>max_lr</c>, <c>min_lr</c>, <c>max_momentum</c>, <c>base_momentum</c> into each group, as PyTorch does).</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="maxLr">The peak learning rate, one value or one per group (PyTorch's <c>max_lr</c>).</param>
    /// <param name="totalSteps">The number of steps in the cycle; or give <paramref name="epochs"/> and <paramref name="stepsPerEpoch"/>.</param>
    /// <param name="epochs">The number of epochs (with <paramref name="stepsPerEpoch"/>, when <paramref name="totalSteps"/> is null).</param>
    /// <param name="stepsPerEpoch">The number of steps per epoch.</param>
    /// <param name="pctStart">The fraction of the cycle spent increasing the lr (default 0.3), in [0, 1].</param>
    /// <param name="annealStrategy"><c>"cos"</c> (default) or <c>"linear"</c>.</param>
    /// <param name="cycleMomentum">Whether momentum (or beta1) cycles inversely to the lr (default true).</param>
    /// <param name="baseMomentum">The lower momentum boundary (default 0.85), one value or one per group.</param>
    /// <param name="maxMomentum">The upper momentum boundary (default 0.95), one value or one per group.</param>
    /// <param name="divFactor">initial_lr = max_lr / divFactor (default 25).</param>
    /// <param name="finalDivFactor">min_lr = initial_lr / finalDivFactor (default 1e4).</param>
    /// <param name="threePhase">Whether to use PyTorch's three-phase schedule (symmetric rise and fall, then annihilation).</param>
    /// <param name="lastEpoch">The index of the last batch (PyTorch's <c>last_epoch</c>), −1 to start.</param>
    /// <exception cref="ArgumentException">An argument PyTorch refuses (PyTorch's messages).</exception>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public OneCycleLR(
        Optimizer optimizer,
        PerGroup maxLr,
        int? totalSteps = null,
        int? epochs = null,
        int? stepsPerEpoch = null,
        double pctStart = 0.3,
        string annealStrategy = "cos",
        bool cycleMomentum = true,
        PerGroup? baseMomentum = null,
        PerGroup? maxMomentum = null,
        double divFactor = 25.0,
        double finalDivFactor = 1e4,
        bool threePhase = false,
        int lastEpoch = -1)
        : base(optimizer)
    {
        if (totalSteps is { } total)
        {
            Require(total > 0, $"Expected positive integer total_steps, but got {total}");
            this.totalSteps = total;
        }
        else if (epochs is { } e && stepsPerEpoch is { } s)
        {
            Require(e > 0, $"Expected positive integer epochs, but got {e}");
            Require(s > 0, $"Expected positive integer steps_per_epoch, but got {s}");
            this.totalSteps = e * s;
        }
        else
        {
            throw new ArgumentException("OneCycleLR: You must define either total_steps OR (epochs AND steps_per_epoch)");
        }

        double n = this.totalSteps;
        phases = threePhase
            ?
            [
                new((pctStart * n) - 1, false, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new((2 * pctStart * n) - 2, false, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                new(this.totalSteps - 1, true, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
            :
            [
                new((pctStart * n) - 1, false, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new(this.totalSteps - 1, true, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ];

        Require(!(pctStart < 0 || pctStart > 1 || double.IsNaN(pctStart)), $"Expected float between 0 and 1 pct_start, but got {StateValues.Repr(pctStart)}");

        TensorChecks.ThrowIfNull(annealStrategy, "OneCycleLR");
        Require(annealStrategy is "cos" or "linear", $"anneal_strategy must be one of 'cos' or 'linear', instead got {annealStrategy}");

        annealFuncType = annealStrategy;
        List<double> maxLrs = maxLr.Format(nameof(OneCycleLR), "max_lr", optimizer);
        if (lastEpoch == -1)
        {
            for (int i = 0; i < optimizer.ParamGroups.Count; i++)
            {
                ParamGroup group = optimizer.ParamGroups[i];
                group["initial_lr"] = PyMath.Div(maxLrs[i], divFactor, nameof(OneCycleLR), "initial_lr = max_lr / div_factor", "Use a non-zero div_factor.");
                group["max_lr"] = maxLrs[i];
                group["min_lr"] = PyMath.Div(group.GetDouble("initial_lr"), finalDivFactor, nameof(OneCycleLR), "min_lr = initial_lr / final_div_factor", "Use a non-zero final_div_factor.");
            }
        }

        this.cycleMomentum = cycleMomentum;
        if (cycleMomentum)
        {
            useBeta1 = MomentumCycling.UseBeta1(optimizer, nameof(OneCycleLR));
            hasUseBeta1 = true;
            List<double> maxMomentums = (maxMomentum ?? 0.95).Format(nameof(OneCycleLR), "max_momentum", optimizer);
            List<double> baseMomentums = (baseMomentum ?? 0.85).Format(nameof(OneCycleLR), "base_momentum", optimizer);
            if (lastEpoch == -1)
            {
                MomentumCycling.SetBounds(optimizer, useBeta1, maxMomentums, baseMomentums);
            }
        }

        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Stepped more than <c>totalSteps</c> times (PyTorch's ValueError message).</exception>
    protected override IReadOnlyList<double> GetLr()
    {
        int stepNum = LastEpoch;
        if (stepNum > totalSteps)
        {
            throw new InvalidOperationException($"Tried to step {stepNum} times. The specified number of total steps is {totalSteps}");
        }

        var lrs = new List<double>();
        foreach (ParamGroup group in Optimizer.ParamGroups)
        {
            double startStep = 0.0;
            double computedLr = 0, computedMomentum = 0;
            for (int i = 0; i < phases.Count; i++)
            {
                Phase phase = phases[i];
                double endStep = phase.EndStep;
                if (stepNum <= endStep || i == phases.Count - 1)
                {
                    double pct = PyMath.Div(stepNum - startStep, endStep - startStep, "OneCycleLR.Step", "OneCycleLR's phase fraction (step_num - start_step) / (end_step - start_step)", "A phase has no steps: raise total_steps or move pct_start away from 0 and 1.");
                    computedLr = Anneal(group.GetDouble(phase.StartLr), group.GetDouble(phase.EndLr), pct);
                    if (cycleMomentum)
                    {
                        computedMomentum = Anneal(group.GetDouble(phase.StartMomentum), group.GetDouble(phase.EndMomentum), pct);
                    }

                    break;
                }

                startStep = phase.EndStep;
            }

            lrs.Add(computedLr);
            if (cycleMomentum)
            {
                MomentumCycling.SetOne(group, useBeta1, computedMomentum);
            }
        }

        return lrs;
    }

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("total_steps", () => (long)totalSteps, v => totalSteps = StateValues.Int(v, "total_steps")),
        new("_schedule_phases", WritePhases, v => phases = StateValues.Items(v, "_schedule_phases").Select(Phase.Read).ToList()),
        new("_anneal_func_type", () => annealFuncType, v => annealFuncType = StateValues.Str(v, "_anneal_func_type")),
        new("cycle_momentum", () => cycleMomentum, v => cycleMomentum = StateValues.Bool(v, "cycle_momentum")),
        new("use_beta1", () => useBeta1, v =>
        {
            useBeta1 = StateValues.Bool(v, "use_beta1");
            hasUseBeta1 = true;
        }, () => hasUseBeta1),
        .. BaseFields(),
    ];

    private object? WritePhases() => phases.Select(p => (object?)p.Write()).ToList();

    private double Anneal(double start, double end, double pct) => annealFuncType switch
    {
        "cos" => end + ((start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)),
        "linear" => ((end - start) * pct) + start,
        _ => throw new InvalidOperationException($"Unknown _anneal_func_type: {annealFuncType}"),
    };

    /// <summary>One phase of the schedule (PyTorch's <c>_SchedulePhase</c>).</summary>
    private sealed record Phase(double EndStep, bool EndStepIsInt, string StartLr, string EndLr, string StartMomentum, string EndMomentum)
    {
        public IReadOnlyDictionary<string, object?> Write() => new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["end_step"] = EndStepIsInt ? (object)(long)EndStep : EndStep,
            ["start_lr"] = StartLr,
            ["end_lr"] = EndLr,
            ["start_momentum"] = StartMomentum,
            ["end_momentum"] = EndMomentum,
        };

        public static Phase Read(object? value)
        {
            IReadOnlyDictionary<string, object?> d = StateValues.Dict(value, "_schedule_phases");
            object? end = d.TryGetValue("end_step", out object? e) ? e : null;
            string S(string key) => StateValues.Str(d.TryGetValue(key, out object? v) ? v : null, "_schedule_phases." + key);
            return new Phase(StateValues.Double(end, "_schedule_phases.end_step"), end is long or int, S("start_lr"), S("end_lr"), S("start_momentum"), S("end_momentum"));
        }
    }
}
