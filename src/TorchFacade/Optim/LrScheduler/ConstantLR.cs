namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>ConstantLR</c>: multiplies each group's learning rate by <c>factor</c> until epoch <c>totalIters</c>,
/// then restores it.
/// </summary>
public sealed class ConstantLR : LRScheduler
{
    private double factor;
    private int totalIters;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="factor">The factor applied until the milestone, in [0, 1] (default 1/3).</param>
    /// <param name="totalIters">The number of epochs the factor applies (PyTorch's <c>total_iters</c>, default 5).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="factor"/> is outside [0, 1] (PyTorch's message).</exception>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public ConstantLR(Optimizer optimizer, double factor = 1.0 / 3, int totalIters = 5, int lastEpoch = -1)
        : base(optimizer)
    {
        Require(!(factor > 1.0 || factor < 0), "Constant multiplicative factor expected to be between 0 and 1.");
        this.factor = factor;
        this.totalIters = totalIters;
        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr()
    {
        if (LastEpoch == 0)
        {
            return Optimizer.ParamGroups.Select(g => g.Lr * factor).ToList();
        }

        if (LastEpoch != totalIters)
        {
            return Optimizer.ParamGroups.Select(g => g.Lr).ToList();
        }

        double undo = PyMath.Div(1.0, factor, "ConstantLR.Step", "1.0 / factor", "Pass a factor greater than 0: a factor of 0 sets the lr to 0, which the last step cannot undo.");
        return Optimizer.ParamGroups.Select(g => g.Lr * undo).ToList();
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double>? GetClosedFormLr() =>
        BaseLrs.Select(b => b * (factor + ((LastEpoch >= totalIters ? 1 : 0) * (1 - factor)))).ToList();

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("factor", () => factor, v => factor = StateValues.Double(v, "factor")),
        new("total_iters", () => (long)totalIters, v => totalIters = StateValues.Int(v, "total_iters")),
        .. BaseFields(),
    ];
}
