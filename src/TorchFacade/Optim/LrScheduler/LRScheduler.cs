using System.Diagnostics;

namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>torch.optim.lr_scheduler.LRScheduler</c>: adjusts the learning rate of every parameter group of a
/// <see cref="Optimizer"/> each time <see cref="Step"/> is called, after the optimizer's own step.
/// </summary>
/// <remarks>
/// <para>As in PyTorch, creating a scheduler with <c>lastEpoch: -1</c> stores each group's current <c>lr</c> as
/// <c>initial_lr</c> in the group (when the group has none yet), takes those as <see cref="BaseLrs"/>, and performs a
/// first step (epoch 0). Resuming with <c>lastEpoch ≥ 0</c> requires <c>initial_lr</c> in every group (load the
/// optimizer's state dict first).</para>
/// <para>The learning rates are computed with PyTorch's own formulas in the same order of operations, so they agree
/// with PyTorch bit for bit in <see cref="double"/>: the chainable (recursive) form in <see cref="Step"/>, the closed
/// form where PyTorch uses it (a step to an explicit epoch, which <see cref="SequentialLR"/> does at its milestones).</para>
/// <para><see cref="StateDict"/> has exactly PyTorch 2.6's keys in PyTorch's order, in the shared state-dict
/// representation (int → <see cref="long"/>, float → <see cref="double"/>, list → <c>IReadOnlyList&lt;object?&gt;</c>),
/// so a scheduler saved by PyTorch resumes here and one saved here resumes in PyTorch.</para>
/// <para>A custom schedule derives from this class, sets its own fields in its constructor, then calls
/// <see cref="Initialize"/>, and implements <see cref="GetLr"/>, as a PyTorch subclass implements <c>get_lr</c>.</para>
/// </remarks>
public abstract class LRScheduler
{
    /// <summary>PyTorch's warning for <c>scheduler.step()</c> before any <c>optimizer.step()</c>.</summary>
    public const string StepBeforeOptimizerWarning =
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
        + "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
        + "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
        + "will result in PyTorch skipping the first value of the learning rate schedule. "
        + "See more details at "
        + "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

    /// <summary>PyTorch's warning for stepping to an explicit epoch (which <see cref="SequentialLR"/> does at each milestone).</summary>
    public const string EpochDeprecationWarning =
        "The epoch parameter in `scheduler.step()` was not necessary and is being "
        + "deprecated where possible. Please use `scheduler.step()` to step the "
        + "scheduler. During the deprecation, if epoch is different from None, the "
        + "closed form is used instead of the new chainable form, where available. "
        + "Please open an issue if you are unable to replicate your use case: "
        + "https://github.com/pytorch/pytorch/issues/new/choose.";

    private List<double> baseLrs = [];
    private List<double> lastLr = [];
    private bool verbose;
    private bool getLrCalledWithinStep;

    /// <summary>Attaches the scheduler to <paramref name="optimizer"/>; the derived constructor then calls <see cref="Initialize"/>.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates are scheduled.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="optimizer"/> was disposed.</exception>
    protected LRScheduler(Optimizer optimizer)
    {
        TensorChecks.ThrowIfNull(optimizer, $"{GetType().Name}");
        Optimizer = optimizer;
        ThrowIfOptimizerDisposed(GetType().Name);
    }

    /// <summary>
    /// The constructors' argument checks, as PyTorch's <c>__init__</c> makes them: throws
    /// <see cref="ArgumentException"/> with PyTorch's message prefixed by the scheduler's name when
    /// <paramref name="valid"/> is false.
    /// </summary>
    /// <param name="valid">Whether the argument is acceptable.</param>
    /// <param name="message">PyTorch's message for the refusal.</param>
    /// <exception cref="ArgumentException"><paramref name="valid"/> is false.</exception>
    private protected void Require(bool valid, string message)
    {
        if (!valid)
        {
            throw new ArgumentException($"{GetType().Name}: {message}");
        }
    }

    /// <summary>
    /// Raised for each warning PyTorch would emit (<c>UserWarning</c>), e.g. <see cref="StepBeforeOptimizerWarning"/>.
    /// Without a handler the warning is written with <see cref="Trace.TraceWarning(string)"/>.
    /// </summary>
    public event EventHandler<LRSchedulerWarningEventArgs>? Warning;

    /// <summary>The optimizer (PyTorch's <c>scheduler.optimizer</c>).</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The index of the last step taken (PyTorch's <c>last_epoch</c>): 0 after construction, +1 per <see cref="Step"/>.</summary>
    public int LastEpoch { get; protected set; }

    /// <summary>Each group's <c>initial_lr</c> when the scheduler was created (PyTorch's <c>base_lrs</c>).</summary>
    protected IReadOnlyList<double> BaseLrs
    {
        get => baseLrs;
        set => baseLrs = [.. value];
    }

    /// <summary>How many times the scheduler has stepped, counting the step made at construction (PyTorch's <c>_step_count</c>).</summary>
    protected int StepCount { get; set; }

    /// <summary>The learning rate of each group after the last step (PyTorch's <c>get_last_lr()</c>).</summary>
    /// <returns>One value per parameter group.</returns>
    public IReadOnlyList<double> GetLastLr() => lastLr;

    /// <summary>
    /// PyTorch's <c>scheduler.step()</c>: advances <see cref="LastEpoch"/> by one and sets every group's learning rate.
    /// Call it after <see cref="Optimizer.Step"/>; the first call before any optimizer step raises the
    /// <see cref="Warning"/> PyTorch emits (<see cref="StepBeforeOptimizerWarning"/>).
    /// </summary>
    public virtual void Step() => StepCore(null);

    /// <summary>
    /// PyTorch's <c>scheduler.state_dict()</c>: every attribute PyTorch 2.6 saves for this class, by PyTorch's name, in
    /// PyTorch's order (for example <c>base_lrs</c>, <c>last_epoch</c>, <c>verbose</c>, <c>_step_count</c>,
    /// <c>_get_lr_called_within_step</c>, <c>_last_lr</c>), as new lists and dicts of the shared representation.
    /// </summary>
    /// <returns>The state dict (insertion order kept).</returns>
    public IReadOnlyDictionary<string, object?> StateDict()
    {
        var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (StateField field in Fields())
        {
            if (field.Present is null || field.Present())
            {
                dict[field.Key] = field.Get();
            }
        }

        return dict;
    }

    /// <summary>
    /// PyTorch's <c>scheduler.load_state_dict(state_dict)</c>: restores every entry of <paramref name="stateDict"/> (a
    /// dict from <see cref="StateDict"/>, or from PyTorch via <c>Torch.Load</c>). Entries that are missing keep their
    /// current value, as in PyTorch. Nothing changes when an entry is refused.
    /// </summary>
    /// <param name="stateDict">The state dict.</param>
    /// <exception cref="TorchException">A key that PyTorch 2.x does not write for this class (<c>ValueError</c>; stricter than
    /// PyTorch, whose <c>__dict__.update</c> keeps it unused), a value of the wrong kind (<c>TypeError</c>, which PyTorch
    /// raises at the next step), more <c>_schedulers</c> states than the scheduler has (<c>IndexError</c>, PyTorch's).</exception>
    /// <exception cref="NotSupportedException">The dict holds the saved attributes of a Python callable object (a custom <c>lr_lambda</c> or <c>scale_fn</c> class), which a C# delegate cannot take.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> stateDict)
    {
        TensorChecks.ThrowIfNull(stateDict, $"{GetType().Name}.LoadStateDict");
        var fields = Fields().ToDictionary(f => f.Key, StringComparer.Ordinal);
        foreach (string key in stateDict.Keys)
        {
            if (!fields.ContainsKey(key))
            {
                throw new TorchException(PyTorchErrorTypes.ValueError, $"{GetType().Name}.LoadStateDict: The state dict has the key '{key}', which PyTorch's {GetType().Name} does not write (its keys: {string.Join(", ", fields.Keys)}); pass a state dict saved from a {GetType().Name}.");
            }
        }

        var backup = Fields().Select(f => (f, f.Get())).ToList();
        try
        {
            foreach ((string key, object? value) in stateDict)
            {
                fields[key].Set(value);
            }

            AfterLoad();
        }
        catch (Exception ex)
        {
            foreach ((StateField field, object? value) in backup)
            {
                field.Set(value);
            }

            AfterLoad();
            if (ex is ArgumentException and not ArgumentNullException)
            {
                // A field's own range check: PyTorch's kind for a value it cannot take.
                throw new TorchException(PyTorchErrorTypes.ValueError, ex.Message.StartsWith(GetType().Name, StringComparison.Ordinal) ? ex.Message : $"{GetType().Name}.LoadStateDict: {ex.Message}", innerException: ex);
            }

            throw;
        }
    }

    /// <summary>
    /// The tail of PyTorch's <c>LRScheduler.__init__</c>: sets <c>initial_lr</c> in each group (lastEpoch −1) or checks
    /// that every group has one (resuming), takes <see cref="BaseLrs"/>, and makes the first step. Derived
    /// constructors call it last, once their own fields are set.
    /// </summary>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>: −1 to start, or the index of the last epoch when resuming.</param>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c> (PyTorch's KeyError).</exception>
    protected void Initialize(int lastEpoch)
    {
        IReadOnlyList<ParamGroup> groups = Optimizer.ParamGroups;
        if (lastEpoch == -1)
        {
            foreach (ParamGroup group in groups)
            {
                if (!group.Options.ContainsKey("initial_lr"))
                {
                    group["initial_lr"] = group.Lr;
                }
            }
        }
        else
        {
            for (int i = 0; i < groups.Count; i++)
            {
                if (!groups[i].Options.ContainsKey("initial_lr"))
                {
                    throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer. Load the optimizer's state dict (which has it) before creating the scheduler, or pass lastEpoch: -1 to start the schedule.");
                }
            }
        }

        baseLrs = groups.Select(g => g.GetDouble("initial_lr")).ToList();
        LastEpoch = lastEpoch;
        Optimizer.AttachScheduler();
        InitialStep();
    }

    /// <summary>PyTorch's chainable <c>get_lr()</c>: the learning rate of each group at <see cref="LastEpoch"/>, computed from the groups' current rates.</summary>
    /// <returns>One value per group.</returns>
    protected abstract IReadOnlyList<double> GetLr();

    /// <summary>PyTorch's <c>_get_closed_form_lr()</c> where the class has one (used when stepping to an explicit epoch), else <see langword="null"/>.</summary>
    /// <returns>One value per group, or <see langword="null"/>.</returns>
    protected virtual IReadOnlyList<double>? GetClosedFormLr() => null;

    /// <summary>Raises <see cref="Warning"/> (or traces the warning when nobody listens).</summary>
    /// <param name="message">PyTorch's warning text.</param>
    protected void Warn(string message)
    {
        var args = new LRSchedulerWarningEventArgs(message);
        if (Warning is { } handler)
        {
            handler(this, args);
        }
        else
        {
            Trace.TraceWarning("UserWarning: " + message);
        }
    }

    /// <summary>PyTorch's <c>_initial_step()</c>: resets the step count and steps once.</summary>
    internal virtual void InitialStep()
    {
        StepCount = 0;
        Step();
    }

    /// <summary>PyTorch's deprecated <c>step(epoch)</c>: jumps to <paramref name="epoch"/>, using the closed form where there is one.</summary>
    /// <param name="epoch">The epoch.</param>
    internal virtual void StepToEpoch(int epoch) => StepCore(epoch);

    /// <summary>Moves <see cref="LastEpoch"/> back by one (PyTorch's <c>SequentialLR.recursive_undo</c>).</summary>
    internal void UndoStep() => LastEpoch--;

    /// <summary>Forwards a child scheduler's warnings to this scheduler's <see cref="Warning"/> (for <see cref="SequentialLR"/> and <see cref="ChainedScheduler"/>).</summary>
    /// <param name="child">The child.</param>
    internal void ForwardWarnings(LRScheduler child) => child.Warning += (_, e) => Warn(e.Message);

    /// <summary>The entries of <see cref="StateDict"/> in PyTorch's order.</summary>
    /// <returns>The fields.</returns>
    private protected virtual IEnumerable<StateField> Fields() => BaseFields();

    /// <summary>The entries PyTorch's <c>LRScheduler.__init__</c> creates, in its order.</summary>
    /// <returns>The fields.</returns>
    private protected IEnumerable<StateField> BaseFields() =>
    [
        new("base_lrs", () => StateValues.List(baseLrs), v => baseLrs = StateValues.Doubles(v, "base_lrs")),
        new("last_epoch", () => (long)LastEpoch, v => LastEpoch = StateValues.Int(v, "last_epoch")),
        new("verbose", () => verbose, v => verbose = StateValues.Bool(v, "verbose")),
        new("_step_count", () => (long)StepCount, v => StepCount = StateValues.Int(v, "_step_count")),
        new("_get_lr_called_within_step", () => getLrCalledWithinStep, v => getLrCalledWithinStep = StateValues.Bool(v, "_get_lr_called_within_step")),
        LastLrField(),
    ];

    /// <summary>The <c>_last_lr</c> entry.</summary>
    /// <returns>The field.</returns>
    private protected StateField LastLrField() =>
        new("_last_lr", () => StateValues.List(lastLr), v => lastLr = StateValues.Doubles(v, "_last_lr"));

    /// <summary>The <c>verbose</c> entry (for schedulers that do not call <see cref="Initialize"/>).</summary>
    /// <returns>The field.</returns>
    private protected StateField VerboseField() =>
        new("verbose", () => verbose, v => verbose = StateValues.Bool(v, "verbose"));

    /// <summary>Called after a state dict was loaded (PyTorch re-derives some attributes there).</summary>
    private protected virtual void AfterLoad()
    {
    }

    /// <summary>Sets <c>_last_lr</c> from the groups' current learning rates.</summary>
    private protected void RecordLastLr() => lastLr = Optimizer.ParamGroups.Select(g => g.Lr).ToList();

    /// <summary>Sets <c>_last_lr</c>.</summary>
    /// <param name="values">The values.</param>
    private protected void SetLastLr(IReadOnlyList<double> values) => lastLr = [.. values];

    /// <summary>Sets each group's lr to the corresponding value (as Python's <c>zip</c>: up to the shorter of the two), inside PyTorch's <c>_enable_get_lr_call</c>.</summary>
    /// <param name="compute">Computes the values.</param>
    private protected void ApplyWithinStep(Func<IReadOnlyList<double>> compute)
    {
        IReadOnlyList<double> values;
        getLrCalledWithinStep = true;
        try
        {
            values = compute();
        }
        finally
        {
            getLrCalledWithinStep = false;
        }

        IReadOnlyList<ParamGroup> groups = Optimizer.ParamGroups;
        for (int i = 0; i < Math.Min(groups.Count, values.Count); i++)
        {
            groups[i].Lr = values[i];
        }

        RecordLastLr();
    }

    /// <summary>Raises <see cref="ObjectDisposedException"/> when the scheduler's optimizer was disposed (its groups would be scheduled for nothing).</summary>
    /// <param name="member">The member being called, for the message.</param>
    private protected void ThrowIfOptimizerDisposed(string member)
    {
        if (Optimizer.IsDisposed)
        {
            throw new ObjectDisposedException(
                Optimizer.GetType().Name,
                $"{member}: the scheduler's optimizer ({Optimizer.GetType().Name}) was disposed, so its learning rates can no longer be scheduled. Create the scheduler on a live optimizer, and dispose the optimizer after the scheduler's last step.");
        }
    }

    private void StepCore(int? epoch)
    {
        ThrowIfOptimizerDisposed($"{GetType().Name}.Step");
        if (StepCount == 1 && !Optimizer.SteppedSinceSchedulerAttached)
        {
            Warn(StepBeforeOptimizerWarning);
        }

        StepCount++;
        ApplyWithinStep(() =>
        {
            if (epoch is null)
            {
                LastEpoch++;
                return GetLr();
            }

            Warn(EpochDeprecationWarning);
            LastEpoch = epoch.Value;
            return GetClosedFormLr() ?? GetLr();
        });
    }
}
