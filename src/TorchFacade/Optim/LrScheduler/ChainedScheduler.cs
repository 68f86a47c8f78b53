namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>ChainedScheduler</c>: one <see cref="Step"/> steps every scheduler in turn, so their (chainable)
/// effects multiply.
/// </summary>
public sealed class ChainedScheduler : LRScheduler
{
    private readonly List<LRScheduler> schedulers;

    /// <summary>Chains <paramref name="schedulers"/>.</summary>
    /// <param name="schedulers">The schedulers (not <see cref="ReduceLROnPlateau"/>), all of one optimizer.</param>
    /// <param name="optimizer">Their optimizer; <see langword="null"/> for the first scheduler's.</param>
    /// <exception cref="ArgumentException">No scheduler, a <see cref="ReduceLROnPlateau"/>, or schedulers of different optimizers (PyTorch's messages).</exception>
    public ChainedScheduler(IReadOnlyList<LRScheduler> schedulers, Optimizer? optimizer = null)
        : base(optimizer ?? First(schedulers).Optimizer)
    {
        SequentialLR.CheckChildren(nameof(ChainedScheduler), Optimizer, schedulers, "expects at least one scheduler to be chained, but got no scheduler.");
        this.schedulers = [.. schedulers];
        RecordLastLr();
        LastEpoch = this.schedulers[^1].LastEpoch;
        foreach (LRScheduler s in this.schedulers)
        {
            ForwardWarnings(s);
        }
    }

    /// <summary>The chained schedulers, in order.</summary>
    public IReadOnlyList<LRScheduler> Schedulers => schedulers;

    /// <summary>PyTorch's <c>step()</c>: steps every scheduler, in order. <see cref="LRScheduler.LastEpoch"/> follows the last one (PyTorch's ChainedScheduler has no <c>last_epoch</c> of its own).</summary>
    public override void Step()
    {
        ThrowIfOptimizerDisposed("ChainedScheduler.Step");
        foreach (LRScheduler s in schedulers)
        {
            s.Step();
        }

        RecordLastLr();
        LastEpoch = schedulers[^1].LastEpoch;
    }

    /// <summary>Not available: like PyTorch's, this scheduler has no <c>get_lr</c> of its own.</summary>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    protected override IReadOnlyList<double> GetLr() => throw new NotSupportedException("ChainedScheduler has no get_lr of its own (PyTorch raises NotImplementedError); read GetLastLr().");

    /// <inheritdoc />
    internal override void InitialStep()
    {
        StepCount = 0;
        Step();
    }

    /// <inheritdoc />
    internal override void StepToEpoch(int epoch) => throw new NotSupportedException("ChainedScheduler.step() takes no epoch (PyTorch raises TypeError when a ChainedScheduler is a later scheduler of a SequentialLR); put it first, or nest its schedulers directly.");

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        LastLrField(),
        SequentialLR.ChildrenField(schedulers),
    ];

    private static LRScheduler First(IReadOnlyList<LRScheduler> schedulers)
    {
        TensorChecks.ThrowIfNull(schedulers, "ChainedScheduler");
        return schedulers.Count > 0 && schedulers[0] is { } first
            ? first
            : throw new ArgumentException("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.");
    }
}
