namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>LinearLR</c>: the factor of each group's learning rate changes linearly from <c>startFactor</c> to
/// <c>endFactor</c> over <c>totalIters</c> epochs, then stays.
/// </summary>
public sealed class LinearLR : LRScheduler
{
    private double startFactor;
    private double endFactor;
    private int totalIters;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="startFactor">The factor at epoch 0, in (0, 1] (default 1/3).</param>
    /// <param name="endFactor">The factor from epoch <paramref name="totalIters"/> on, in [0, 1] (default 1).</param>
    /// <param name="totalIters">The number of epochs of the ramp (default 5).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="ArgumentException">A factor is out of range (PyTorch's messages).</exception>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5, int lastEpoch = -1)
        : base(optimizer)
    {
        Require(!(startFactor > 1.0 || startFactor <= 0), "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
        Require(!(endFactor > 1.0 || endFactor < 0), "Ending multiplicative factor expected to be between 0 and 1.");
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr()
    {
        if (LastEpoch == 0)
        {
            return Optimizer.ParamGroups.Select(g => g.Lr * startFactor).ToList();
        }

        if (LastEpoch > totalIters)
        {
            return Optimizer.ParamGroups.Select(g => g.Lr).ToList();
        }

        double change = endFactor - startFactor;
        double ratio = 1.0 + PyMath.Div(change, (totalIters * startFactor) + ((LastEpoch - 1) * change), "LinearLR.Step", "LinearLR's factor (end_factor - start_factor) / (total_iters * start_factor + (last_epoch - 1) * (end_factor - start_factor))", "Check start_factor, end_factor and total_iters (total_iters must be >= 1).");
        return Optimizer.ParamGroups.Select(g => g.Lr * ratio).ToList();
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double>? GetClosedFormLr()
    {
        double done = PyMath.Div((endFactor - startFactor) * Math.Min(totalIters, LastEpoch), totalIters, "LinearLR.Step", "min(total_iters, last_epoch) / total_iters", "Check start_factor, end_factor and total_iters (total_iters must be >= 1).");
        return BaseLrs.Select(b => b * (startFactor + done)).ToList();
    }

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("start_factor", () => startFactor, v => startFactor = StateValues.Double(v, "start_factor")),
        new("end_factor", () => endFactor, v => endFactor = StateValues.Double(v, "end_factor")),
        new("total_iters", () => (long)totalIters, v => totalIters = StateValues.Int(v, "total_iters")),
        .. BaseFields(),
    ];
}
