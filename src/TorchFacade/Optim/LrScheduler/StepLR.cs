namespace TorchFacade.Optim.LrScheduler;

/// <summary>PyTorch's <c>StepLR</c>: multiplies each group's learning rate by <c>gamma</c> every <c>stepSize</c> epochs.</summary>
public sealed class StepLR : LRScheduler
{
    private int stepSize;
    private double gamma;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="stepSize">The period of the decay, in epochs (PyTorch's <c>step_size</c>).</param>
    /// <param name="gamma">The multiplicative factor (default 0.1).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1, int lastEpoch = -1)
        : base(optimizer)
    {
        this.stepSize = stepSize;
        this.gamma = gamma;
        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr() =>
        LastEpoch == 0 || PyMath.Mod(LastEpoch, stepSize, "StepLR.Step", "last_epoch % step_size", "Pass step_size >= 1.") != 0
            ? Optimizer.ParamGroups.Select(g => g.Lr).ToList()
            : Optimizer.ParamGroups.Select(g => g.Lr * gamma).ToList();

    /// <inheritdoc />
    protected override IReadOnlyList<double>? GetClosedFormLr() =>
        BaseLrs.Select(b => b * Math.Pow(gamma, PyMath.FloorDiv(LastEpoch, stepSize, "StepLR.Step", "last_epoch // step_size", "Pass step_size >= 1."))).ToList();

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("step_size", () => (long)stepSize, v => stepSize = StateValues.Int(v, "step_size")),
        new("gamma", () => gamma, v => gamma = StateValues.Double(v, "gamma")),
        .. BaseFields(),
    ];
}
