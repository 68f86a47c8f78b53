namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c>: each group's learning rate follows a cosine from its initial value down to
/// <c>etaMin</c> over <c>tMax</c> epochs (and back up over the next <c>tMax</c>, as PyTorch's recursive form does).
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    private int tMax;
    private double etaMin;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="tMax">The number of epochs of the half cosine (PyTorch's <c>T_max</c>).</param>
    /// <param name="etaMin">The minimum learning rate (PyTorch's <c>eta_min</c>, default 0).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0.0, int lastEpoch = -1)
        : base(optimizer)
    {
        this.tMax = tMax;
        this.etaMin = etaMin;
        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr()
    {
        IReadOnlyList<ParamGroup> groups = Optimizer.ParamGroups;
        if (LastEpoch == 0)
        {
            return groups.Select(g => g.Lr).ToList();
        }

        if (StepCount == 1 && LastEpoch > 0)
        {
            double cos = Math.Cos(PyMath.Div(LastEpoch * Math.PI, tMax, "CosineAnnealingLR.Step", "last_epoch * pi / T_max", "Pass T_max >= 1."));
            return BaseLrs.Zip(groups, (b, _) => etaMin + ((b - etaMin) * (1 + cos) / 2)).ToList();
        }

        if (PyMath.Mod(LastEpoch - 1L - tMax, 2L * tMax, "CosineAnnealingLR.Step", "(last_epoch - 1 - T_max) % (2 * T_max)", "Pass T_max >= 1.") == 0)
        {
            double rise = 1 - Math.Cos(PyMath.Div(Math.PI, tMax, "CosineAnnealingLR.Step", "pi / T_max", "Pass T_max >= 1."));
            return BaseLrs.Zip(groups, (b, g) => g.Lr + ((b - etaMin) * rise / 2)).ToList();
        }

        double now = 1 + Math.Cos(PyMath.Div(Math.PI * LastEpoch, tMax, "CosineAnnealingLR.Step", "pi * last_epoch / T_max", "Pass T_max >= 1."));
        double before = 1 + Math.Cos(PyMath.Div(Math.PI * (LastEpoch - 1), tMax, "CosineAnnealingLR.Step", "pi * (last_epoch - 1) / T_max", "Pass T_max >= 1."));
        double ratio = PyMath.Div(now, before, "CosineAnnealingLR.Step", "CosineAnnealingLR's recursive factor (1 + cos(pi * last_epoch / T_max)) / (1 + cos(pi * (last_epoch - 1) / T_max))", "The lr reached eta_min exactly at the previous step, so the recursive form divides by zero, as in PyTorch; step with the closed form (StepToEpoch) or pick another T_max.");
        return groups.Select(g => (ratio * (g.Lr - etaMin)) + etaMin).ToList();
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double>? GetClosedFormLr()
    {
        double cos = Math.Cos(PyMath.Div(Math.PI * LastEpoch, tMax, "CosineAnnealingLR.Step", "pi * last_epoch / T_max", "Pass T_max >= 1."));
        return BaseLrs.Select(b => etaMin + ((b - etaMin) * (1 + cos) / 2)).ToList();
    }

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("T_max", () => (long)tMax, v => tMax = StateValues.Int(v, "T_max")),
        new("eta_min", () => etaMin, v => etaMin = StateValues.Double(v, "eta_min")),
        .. BaseFields(),
    ];
}
