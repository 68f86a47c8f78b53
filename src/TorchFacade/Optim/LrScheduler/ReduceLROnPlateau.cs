namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c>: multiplies each group's learning rate by <c>factor</c> when a metric has not
/// improved for more than <c>patience</c> epochs (then waits <c>cooldown</c> epochs), never below <c>minLr</c>.
/// Step it with the metric: <see cref="Step(double)"/>.
/// </summary>
public sealed class ReduceLROnPlateau : LRScheduler
{
    private double factor;
    private object? defaultMinLr;
    private List<object> minLrs;
    private int patience;
    private int cooldown;
    private int cooldownCounter;
    private string mode;
    private double threshold;
    private string thresholdMode;
    private double eps;
    private double modeWorse;
    private double best;
    private int numBadEpochs;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="mode"><c>"min"</c> (default: reduce when the metric stops decreasing) or <c>"max"</c>.</param>
    /// <param name="factor">new_lr = lr × factor (default 0.1), &lt; 1.</param>
    /// <param name="patience">Epochs without improvement tolerated before reducing (default 10).</param>
    /// <param name="threshold">The margin a new optimum must beat (default 1e-4).</param>
    /// <param name="thresholdMode"><c>"rel"</c> (default: best × (1 ∓ threshold)) or <c>"abs"</c> (best ∓ threshold).</param>
    /// <param name="cooldown">Epochs to wait after a reduction before counting again (default 0).</param>
    /// <param name="minLr">The lower bound of the lr, one value or one per group (default 0).</param>
    /// <param name="eps">Reductions smaller than this are skipped (default 1e-8).</param>
    /// <exception cref="ArgumentException"><paramref name="factor"/> ≥ 1, an unknown mode, or a per-group list of the wrong length (PyTorch's messages).</exception>
    public ReduceLROnPlateau(
        Optimizer optimizer,
        string mode = "min",
        double factor = 0.1,
        int patience = 10,
        double threshold = 1e-4,
        string thresholdMode = "rel",
        int cooldown = 0,
        PerGroup? minLr = null,
        double eps = 1e-8)
        : base(optimizer)
    {
        TensorChecks.ThrowIfNull(mode, "ReduceLROnPlateau");
        TensorChecks.ThrowIfNull(thresholdMode, "ReduceLROnPlateau");
        if (factor >= 1.0)
        {
            throw new ArgumentException("ReduceLROnPlateau: Factor should be < 1.0.");
        }

        this.factor = factor;
        int groups = optimizer.ParamGroups.Count;
        if (minLr is { IsList: true } list)
        {
            if (list.Values.Count != groups)
            {
                throw new ArgumentException($"ReduceLROnPlateau: expected {groups} min_lrs, got {list.Values.Count}");
            }

            defaultMinLr = null;
            minLrs = list.Values.Select(v => (object)v).ToList();
        }
        else
        {
            // PyTorch's default is the int 0, and its state dict says so.
            defaultMinLr = minLr is { } one ? (object)one.Values[0] : 0L;
            minLrs = Enumerable.Repeat(defaultMinLr, groups).ToList();
        }

        this.patience = patience;
        this.cooldown = cooldown;
        cooldownCounter = 0;
        this.mode = mode;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.eps = eps;
        LastEpoch = 0;
        RecordLastLr();
        InitIsBetter();
        Reset();
    }

    /// <summary>Not available: PyTorch's <c>ReduceLROnPlateau.step</c> needs the metric.</summary>
    /// <exception cref="InvalidOperationException">Always: call <see cref="Step(double)"/>.</exception>
    public override void Step() => throw new InvalidOperationException("ReduceLROnPlateau.step() needs the metric (PyTorch: missing 1 required positional argument: 'metrics'); call Step(metric).");

    /// <summary>PyTorch's <c>scheduler.step(metrics)</c>: records the metric of this epoch and reduces the lr after too many epochs without improvement.</summary>
    /// <param name="metric">The monitored value (e.g. the validation loss).</param>
    /// <exception cref="InvalidOperationException">Groups were added and <c>minLr</c> was a per-group list (PyTorch's RuntimeError message).</exception>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void Step(double metric)
    {
        ThrowIfOptimizerDisposed("ReduceLROnPlateau.Step");
        double current = metric;
        int epoch = LastEpoch + 1;
        LastEpoch = epoch;
        if (IsBetter(current, best))
        {
            best = current;
            numBadEpochs = 0;
        }
        else
        {
            numBadEpochs++;
        }

        if (cooldownCounter > 0)
        {
            cooldownCounter--;
            numBadEpochs = 0;
        }

        if (numBadEpochs > patience)
        {
            ReduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }

        RecordLastLr();
    }

    /// <summary>Not available: this scheduler has no <c>get_lr</c> (PyTorch raises NotImplementedError).</summary>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    protected override IReadOnlyList<double> GetLr() => throw new NotSupportedException("ReduceLROnPlateau has no get_lr (PyTorch raises NotImplementedError); read GetLastLr().");

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("factor", () => factor, v => factor = StateValues.Double(v, "factor")),
        new("default_min_lr", () => defaultMinLr, v => defaultMinLr = v is null ? null : Number(v, "default_min_lr")),
        new("min_lrs", () => minLrs.Select(m => (object?)m).ToList(), v => minLrs = StateValues.Items(v, "min_lrs").Select(m => Number(m, "min_lrs")).ToList()),
        new("patience", () => (long)patience, v => patience = StateValues.Int(v, "patience")),
        VerboseField(),
        new("cooldown", () => (long)cooldown, v => cooldown = StateValues.Int(v, "cooldown")),
        new("cooldown_counter", () => (long)cooldownCounter, v => cooldownCounter = StateValues.Int(v, "cooldown_counter")),
        new("mode", () => mode, v => mode = StateValues.Str(v, "mode")),
        new("threshold", () => threshold, v => threshold = StateValues.Double(v, "threshold")),
        new("threshold_mode", () => thresholdMode, v => thresholdMode = StateValues.Str(v, "threshold_mode")),
        new("eps", () => eps, v => eps = StateValues.Double(v, "eps")),
        new("last_epoch", () => (long)LastEpoch, v => LastEpoch = StateValues.Int(v, "last_epoch")),
        LastLrField(),
        new("mode_worse", () => modeWorse, v => modeWorse = StateValues.Double(v, "mode_worse")),
        new("best", () => best, v => best = StateValues.Double(v, "best")),
        new("num_bad_epochs", () => (long)numBadEpochs, v => numBadEpochs = StateValues.Int(v, "num_bad_epochs")),
    ];

    /// <inheritdoc />
    private protected override void AfterLoad() => InitIsBetter();

    private static object Number(object? v, string key) => v switch
    {
        long or double => v,
        int i => (long)i,
        float f => (double)f,
        _ => StateValues.Double(v, key),
    };

    private void Reset()
    {
        best = modeWorse;
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    private void ReduceLr()
    {
        IReadOnlyList<ParamGroup> groups = Optimizer.ParamGroups;
        if (groups.Count != minLrs.Count)
        {
            if (defaultMinLr is null)
            {
                throw new InvalidOperationException($"The number of param groups in the `optimizer` ({groups.Count}) differs from when `ReduceLROnPlateau` was initialized ({minLrs.Count}), usually due to a new param group being added to the optimizer. Please modify the `min_lrs` field to match the length of the `optimizer` param groups.");
            }

            minLrs = Enumerable.Repeat(defaultMinLr, groups.Count).ToList();
        }

        for (int i = 0; i < groups.Count; i++)
        {
            double oldLr = groups[i].Lr;
            double reduced = oldLr * factor, floor = StateValues.Double(minLrs[i], "min_lrs");
            double newLr = floor > reduced ? floor : reduced; // Python's max(): the first argument unless the second is greater
            if (oldLr - newLr > eps)
            {
                groups[i].Lr = newLr;
            }
        }
    }

    private bool IsBetter(double a, double bestSoFar) => (mode, thresholdMode) switch
    {
        ("min", "rel") => a < bestSoFar * (1.0 - threshold),
        ("min", "abs") => a < bestSoFar - threshold,
        ("max", "rel") => a > bestSoFar * (threshold + 1.0),
        _ => a > bestSoFar + threshold,
    };

    // PyTorch's _init_is_better: validates the modes and sets the worst value.
    private void InitIsBetter()
    {
        if (mode is not ("min" or "max"))
        {
            throw new ArgumentException("ReduceLROnPlateau: mode " + mode + " is unknown!");
        }

        if (thresholdMode is not ("rel" or "abs"))
        {
            throw new ArgumentException("ReduceLROnPlateau: threshold mode " + thresholdMode + " is unknown!");
        }

        modeWorse = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
    }
}
