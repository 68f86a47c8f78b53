namespace TorchFacade.Optim.LrScheduler;

/// <summary>PyTorch's <c>ExponentialLR</c>: multiplies each group's learning rate by <c>gamma</c> every epoch.</summary>
public sealed class ExponentialLR : LRScheduler
{
    private double gamma;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="gamma">The multiplicative factor per epoch.</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch = -1)
        : base(optimizer)
    {
        this.gamma = gamma;
        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr() =>
        LastEpoch == 0
            ? Optimizer.ParamGroups.Select(g => g.Lr).ToList()
            : Optimizer.ParamGroups.Select(g => g.Lr * gamma).ToList();

    /// <inheritdoc />
    protected override IReadOnlyList<double>? GetClosedFormLr() => BaseLrs.Select(b => b * Math.Pow(gamma, LastEpoch)).ToList();

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("gamma", () => gamma, v => gamma = StateValues.Double(v, "gamma")),
        .. BaseFields(),
    ];
}
