namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>SequentialLR</c>: runs one scheduler after another, switching at each milestone epoch (the next
/// scheduler then starts from epoch 0, stepped to it with its closed form where it has one, as PyTorch does).
/// </summary>
/// <example><c>new SequentialLR(opt, [new LinearLR(opt, 0.1, totalIters: 5), new CosineAnnealingLR(opt, 95)], [5])</c>: warm-up, then cosine.</example>
public sealed class SequentialLR : LRScheduler
{
    private readonly List<LRScheduler> schedulers;
    private List<int> milestones;

    /// <summary>Creates the sequence: resets every group's lr to its <c>initial_lr</c>, undoes the first step the schedulers made, and starts the first one.</summary>
    /// <param name="optimizer">The optimizer every scheduler drives.</param>
    /// <param name="schedulers">The schedulers, in order (not <see cref="ReduceLROnPlateau"/>).</param>
    /// <param name="milestones">The epochs at which the next scheduler takes over; one fewer than the schedulers.</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c> (default −1).</param>
    /// <exception cref="ArgumentException">No scheduler, a <see cref="ReduceLROnPlateau"/>, a scheduler of another optimizer, or the wrong number of milestones (PyTorch's messages).</exception>
    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<int> milestones, int lastEpoch = -1)
        : base(optimizer)
    {
        TensorChecks.ThrowIfNull(schedulers, "SequentialLR");
        TensorChecks.ThrowIfNull(milestones, "SequentialLR");
        CheckChildren(nameof(SequentialLR), optimizer, schedulers, "expects at least one scheduler, but got no scheduler.");
        if (milestones.Count != schedulers.Count - 1)
        {
            throw new ArgumentException($"SequentialLR: Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers {schedulers.Count} and the number of milestones to be equal to {milestones.Count}. Pass one milestone fewer than schedulers.");
        }

        this.schedulers = [.. schedulers];
        this.milestones = [.. milestones];
        LastEpoch = lastEpoch + 1;
        for (int i = 0; i < optimizer.ParamGroups.Count; i++)
        {
            ParamGroup group = optimizer.ParamGroups[i];
            group.Lr = group.Options.ContainsKey("initial_lr")
                ? group.GetDouble("initial_lr")
                : throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}]: SequentialLR resets each group's lr to the initial_lr its schedulers set; create the schedulers on this optimizer first.");
        }

        RecursiveUndo(this);
        this.schedulers[0].InitialStep();
        SetLastLr(this.schedulers[0].GetLastLr());
        foreach (LRScheduler s in this.schedulers)
        {
            ForwardWarnings(s);
        }
    }

    /// <summary>The schedulers, in order.</summary>
    public IReadOnlyList<LRScheduler> Schedulers => schedulers;

    /// <summary>PyTorch's <c>step()</c>: steps the scheduler whose turn it is (stepping a new one to epoch 0 at its milestone).</summary>
    public override void Step()
    {
        ThrowIfOptimizerDisposed("SequentialLR.Step");
        LastEpoch++;
        int idx = BisectRight(milestones, LastEpoch);
        LRScheduler scheduler = schedulers[idx];
        if (idx > 0 && milestones[idx - 1] == LastEpoch)
        {
            scheduler.StepToEpoch(0);
        }
        else
        {
            scheduler.Step();
        }

        SetLastLr(scheduler.GetLastLr());
    }

    /// <summary>Not available: like PyTorch's, this scheduler has no <c>get_lr</c> of its own.</summary>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    protected override IReadOnlyList<double> GetLr() => throw new NotSupportedException("SequentialLR has no get_lr of its own (PyTorch raises NotImplementedError); read GetLastLr().");

    /// <inheritdoc />
    internal override void InitialStep()
    {
        StepCount = 0;
        Step();
    }

    /// <inheritdoc />
    internal override void StepToEpoch(int epoch) => throw new NotSupportedException("SequentialLR.step() takes no epoch (PyTorch raises TypeError when a SequentialLR is a later scheduler of another SequentialLR); nest the inner schedulers directly.");

    /// <summary>PyTorch's checks of the schedulers given to <see cref="SequentialLR"/> and <see cref="ChainedScheduler"/>.</summary>
    /// <param name="owner">The class name, for the messages.</param>
    /// <param name="optimizer">The optimizer they must share.</param>
    /// <param name="schedulers">The schedulers.</param>
    /// <param name="emptyMessage">The message when there are none (after the class name).</param>
    internal static void CheckChildren(string owner, Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, string emptyMessage)
    {
        if (schedulers.Count < 1)
        {
            throw new ArgumentException($"{owner}: {owner} {emptyMessage} Pass at least one scheduler.");
        }

        for (int i = 0; i < schedulers.Count; i++)
        {
            LRScheduler s = schedulers[i] ?? throw new ArgumentNullException(null, $"{owner}: {owner} at index {i} should have `optimizer` as its attribute; the scheduler at index {i} is null. Pass a scheduler created on the optimizer.");
            if (s is ReduceLROnPlateau)
            {
                throw new ArgumentException($"{owner}: {owner} does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when calling `step`, but got one at index {i} in the given schedulers sequence. Step the ReduceLROnPlateau yourself, next to the {owner}.");
            }

            if (!ReferenceEquals(optimizer, s.Optimizer))
            {
                throw new ArgumentException($"{owner}: {owner} expects all schedulers to belong to the same optimizer, but got scheduler {s.GetType().Name} at index {i} has {s.Optimizer.GetType().Name}, which is different from {optimizer.GetType().Name}. Create every scheduler on the same optimizer instance.");
            }
        }
    }

    /// <summary>The <c>_schedulers</c> entry: each scheduler's own state dict.</summary>
    /// <param name="children">The schedulers.</param>
    /// <returns>The field.</returns>
    internal static StateField ChildrenField(IReadOnlyList<LRScheduler> children) => new(
        "_schedulers",
        () => children.Select(s => (object?)s.StateDict()).ToList(),
        v =>
        {
            IReadOnlyList<object?> items = StateValues.Items(v, "_schedulers");
            if (items.Count > children.Count)
            {
                throw new TorchException(PyTorchErrorTypes.IndexError, $"LRScheduler.LoadStateDict: The state dict has {items.Count} scheduler states, but this scheduler has {children.Count} schedulers (PyTorch: IndexError: list index out of range); pass a state dict saved from a scheduler with as many schedulers.", "list index out of range");
            }

            for (int i = 0; i < items.Count; i++)
            {
                children[i].LoadStateDict(StateValues.Dict(items[i], "_schedulers"));
            }
        });

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("_milestones", () => StateValues.List(milestones), v => milestones = StateValues.Ints(v, "_milestones")),
        new("last_epoch", () => (long)LastEpoch, v => LastEpoch = StateValues.Int(v, "last_epoch")),
        LastLrField(),
        ChildrenField(schedulers),
    ];

    private static int BisectRight(IReadOnlyList<int> sorted, int x) => PyMath.BisectRight(sorted, x);

    // PyTorch's recursive_undo: every (nested) scheduler's last_epoch goes back by one.
    private static void RecursiveUndo(LRScheduler scheduler)
    {
        switch (scheduler)
        {
            case SequentialLR s:
                s.schedulers.ForEach(RecursiveUndo);
                break;
            case ChainedScheduler c:
                foreach (LRScheduler child in c.Schedulers)
                {
                    RecursiveUndo(child);
                }

                break;
            default:
                scheduler.UndoStep();
                break;
        }
    }
}
