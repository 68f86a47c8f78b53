namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>MultiStepLR</c>: multiplies each group's learning rate by <c>gamma</c> at each milestone epoch (by
/// <c>gamma</c> to the power of the count when a milestone is listed more than once).
/// </summary>
public sealed class MultiStepLR : LRScheduler
{
    // PyTorch keeps a collections.Counter: milestone → count, in first-seen order.
    private List<(int Milestone, int Count)> milestones;
    private double gamma;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="milestones">The epochs at which the rate decays (PyTorch's <c>milestones</c>).</param>
    /// <param name="gamma">The multiplicative factor (default 0.1).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int lastEpoch = -1)
        : base(optimizer)
    {
        TensorChecks.ThrowIfNull(milestones, "MultiStepLR");
        this.milestones = milestones.GroupBy(m => m).Select(g => (g.Key, g.Count())).ToList();
        this.gamma = gamma;
        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr()
    {
        int index = milestones.FindIndex(m => m.Milestone == LastEpoch);
        if (index < 0)
        {
            return Optimizer.ParamGroups.Select(g => g.Lr).ToList();
        }

        int count = milestones[index].Count;
        return Optimizer.ParamGroups.Select(g => g.Lr * Math.Pow(gamma, count)).ToList();
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double>? GetClosedFormLr()
    {
        List<int> sorted = milestones.SelectMany(m => Enumerable.Repeat(m.Milestone, m.Count)).Order().ToList();
        int passed = PyMath.BisectRight(sorted, LastEpoch);
        return BaseLrs.Select(b => b * Math.Pow(gamma, passed)).ToList();
    }

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("milestones", WriteMilestones, ReadMilestones),
        new("gamma", () => gamma, v => gamma = StateValues.Double(v, "gamma")),
        .. BaseFields(),
    ];

    private object? WriteMilestones()
    {
        var counter = new OrderedDictionary<object, object?>();
        foreach ((int milestone, int count) in milestones)
        {
            counter[(long)milestone] = (long)count;
        }

        return counter;
    }

    private void ReadMilestones(object? value)
    {
        switch (value)
        {
            case IReadOnlyDictionary<object, object?> counter:
                milestones = counter.Select(kv => (StateValues.Int(kv.Key, "milestones"), StateValues.Int(kv.Value, "milestones"))).ToList();
                break;
            case IReadOnlyDictionary<long, long> typed:
                milestones = typed.Select(kv => (StateValues.Int(kv.Key, "milestones"), StateValues.Int(kv.Value, "milestones"))).ToList();
                break;
            default:
                throw new TorchException(PyTorchErrorTypes.TypeError, $"MultiStepLR.LoadStateDict: The scheduler state dict entry 'milestones' must be a dict of milestone → count (PyTorch's Counter), but is {value?.GetType().Name ?? "None"}; pass a state dict saved from a MultiStepLR.");
        }
    }
}
