using System.Globalization;
using TorchSharp;

namespace TorchFacade.Optim;

/// <summary>
/// The one optimizer shape of TorchFacade, PyTorch's <c>torch.optim.Optimizer</c>: <see cref="ZeroGrad"/>,
/// <see cref="Step"/> (with PyTorch's optional closure), <see cref="ParamGroups"/> with settable learning rate and options,
/// <see cref="AddParamGroup(ParamGroup)"/>, and <see cref="StateDict"/>/<see cref="LoadStateDict(IReadOnlyDictionary{string, object})"/>
/// in PyTorch's layout. TorchSharp's built-ins (<see cref="BuiltInOptimizers"/>) and the reference optimizers
/// (<c>TorchFacade.Reference.Optimizers</c>) both have it.
/// </summary>
/// <remarks>
/// Optimizers take the tensors a user has: any leaf tensors, <c>Parameter</c> or not, including frozen ones
/// (<c>requires_grad</c> false), as PyTorch does. Like every parameter, a frozen one is skipped exactly when its
/// <c>grad</c> is null. The caller's tensors stay valid and are updated in place.
/// </remarks>
public abstract class Optimizer : IDisposable
{
    private readonly List<ParamGroup> groups = [];
    private readonly List<torch.Tensor> all = [];
    private long stepCount;
    private long? stepCountWhenScheduled;
    private readonly IReadOnlyDictionary<string, object?> defaults;
    private readonly string? displayName;
    private bool disposed;

    /// <summary>Creates the optimizer's single parameter group.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="defaults">The hyperparameters by PyTorch's key (must include <c>lr</c>), in PyTorch's order.</param>
    /// <exception cref="ArgumentException">The list is empty, holds a non-leaf tensor, a non-floating tensor, an expanded tensor or the same tensor twice; or a hyperparameter is out of range.</exception>
    protected Optimizer(IEnumerable<torch.Tensor> parameters, IReadOnlyDictionary<string, object?> defaults)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(null, "Optimizer: 'parameters' is null; pass a value."))], defaults)
    {
    }

    /// <summary>Creates the optimizer over several parameter groups (PyTorch's list of dicts).</summary>
    /// <param name="groups">The groups; options not set on a group take <paramref name="defaults"/>.</param>
    /// <param name="defaults">The hyperparameters by PyTorch's key (must include <c>lr</c>), in PyTorch's order.</param>
    /// <exception cref="ArgumentException">No group, a bad parameter list (see the other constructor), a parameter in two groups, an unknown key or an out-of-range value.</exception>
    protected Optimizer(IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object?> defaults)
        : this(null, groups, defaults)
    {
    }

    /// <summary>Creates the optimizer under a name its messages use before a derived constructor could set one.</summary>
    /// <param name="displayName">PyTorch's class name (<c>SGD</c>), or <see langword="null"/> for the type's name.</param>
    /// <param name="groups">The groups.</param>
    /// <param name="defaults">The hyperparameters by PyTorch's key.</param>
    private protected Optimizer(string? displayName, IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object?> defaults)
    {
        this.displayName = displayName;
        TensorChecks.ThrowIfNull(groups, $"{DisplayName}");
        TensorChecks.ThrowIfNull(defaults, $"{DisplayName}");
        OptimizerValidation.Named(DisplayName, () => Validate(defaults));
        this.defaults = defaults;
        var list = groups.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"{DisplayName}: optimizer got an empty parameter list. Pass at least one tensor or parameter group.");
        }

        foreach (ParamGroup g in list)
        {
            AddGroupCore(g ?? throw new ArgumentException($"{DisplayName}: A parameter group is null."), initial: true);
        }
    }

    /// <summary>The hyperparameters the optimizer was created with (PyTorch's <c>optimizer.defaults</c>).</summary>
    public IReadOnlyDictionary<string, object?> Defaults => defaults;

    /// <summary>The parameter groups (PyTorch's <c>optimizer.param_groups</c>).</summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public IReadOnlyList<ParamGroup> ParamGroups
    {
        get
        {
            ThrowIfDisposed();
            return groups;
        }
    }

    /// <summary>Every parameter over all groups, in order (the indices used by <see cref="StateDict"/>).</summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public IReadOnlyList<torch.Tensor> Parameters
    {
        get
        {
            ThrowIfDisposed();
            return all;
        }
    }

    /// <summary>Whether <see cref="Dispose()"/> was called; every other member then raises <see cref="ObjectDisposedException"/>.</summary>
    public bool IsDisposed => disposed;

    /// <summary>
    /// Adds a parameter group (PyTorch's <c>add_param_group</c>): options not given take the optimizer's defaults.
    /// </summary>
    /// <param name="parameters">The tensors.</param>
    /// <param name="options">Options that differ from <see cref="Defaults"/>, by PyTorch's key.</param>
    /// <exception cref="ArgumentException">Bad tensors (see the constructor), unknown keys or out-of-range values.</exception>
    /// <exception cref="NotSupportedException">The optimizer takes one group only (LBFGS, as in PyTorch).</exception>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void AddParamGroup(IEnumerable<torch.Tensor> parameters, IReadOnlyDictionary<string, object>? options = null)
    {
        TensorChecks.ThrowIfNull(parameters, $"{DisplayName}.AddParamGroup");
        var group = new ParamGroup(parameters);
        foreach ((string key, object value) in options ?? new Dictionary<string, object>())
        {
            group[key] = value;
        }

        AddParamGroup(group);
    }

    /// <summary>Adds a parameter group (PyTorch's <c>add_param_group({"params": ..., "lr": ...})</c>).</summary>
    /// <param name="group">A new group, e.g. <c>new ParamGroup(tensors) { Lr = 0.01 }</c>; options not set on it take <see cref="Defaults"/>.</param>
    /// <exception cref="ArgumentException">Bad tensors, a tensor already in another group, unknown keys or out-of-range values.</exception>
    /// <exception cref="NotSupportedException">The optimizer takes one group only (LBFGS, as in PyTorch).</exception>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void AddParamGroup(ParamGroup group)
    {
        TensorChecks.ThrowIfNull(group, $"{DisplayName}.AddParamGroup");
        ThrowIfDisposed();
        AddGroupCore(group, initial: false);
    }

    /// <summary>
    /// PyTorch's <c>optimizer.zero_grad(set_to_none=True)</c>. With <paramref name="setToNone"/> (PyTorch 2.x's default)
    /// every parameter's <c>grad</c> becomes <see langword="null"/>; a later <see cref="Step"/> skips parameters whose grad
    /// is still null. With <see langword="false"/> existing grads are filled with zeros in place (TorchSharp's own
    /// <c>zero_grad()</c> always does this).
    /// </summary>
    /// <param name="setToNone">Whether grads become null (default) or zero tensors.</param>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public virtual void ZeroGrad(bool setToNone = true)
    {
        ThrowIfDisposed();
        using var noGrad = torch.no_grad();
        foreach (torch.Tensor p in all)
        {
            if (setToNone)
            {
                p.grad = null;
            }
            else
            {
                p.grad?.zero_();
            }
        }
    }

    /// <summary>
    /// PyTorch's <c>optimizer.step(closure=None)</c>: one update of every parameter whose grad is not null. A parameter with
    /// a null grad is skipped: its state is neither created nor advanced (a zero grad is not null and does update).
    /// </summary>
    /// <param name="closure">Optional: re-evaluates the model and returns the loss (it should zero the grads and call
    /// <c>Backward</c>). It runs with grad enabled before the update; LBFGS calls it several times.</param>
    /// <returns>The closure's loss (its first evaluation, as PyTorch returns), or <see langword="null"/> without a closure.</returns>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    /// <exception cref="InvalidOperationException">A parameter's grad has a different shape, dtype or device than the parameter.</exception>
    /// <exception cref="TorchException">A parameter's grad is sparse (PyTorch's <c>RuntimeError</c> "Adam does not support sparse gradients ...", raised before any parameter changes).</exception>
    public torch.Tensor? Step(Func<torch.Tensor>? closure = null)
    {
        ThrowIfDisposed();
        ThrowIfSparseGrad();
        stepCount++;
        return StepCore(closure);
    }

    /// <summary>
    /// PyTorch's check that the optimizer can use each gradient's layout, made before any parameter changes (LibTorch would
    /// otherwise fail half-way, with an <c>ExternalException</c> naming a sparse kernel, after some parameters moved).
    /// SGD applies sparse gradients as PyTorch does; Adagrad and LBFGS, which take them in PyTorch, refuse them here with
    /// <c>NotImplementedError</c> (raising where PyTorch answers, never answering differently).
    /// </summary>
    private void ThrowIfSparseGrad()
    {
        for (int i = 0; i < all.Count; i++)
        {
            torch.Tensor p = all[i];
            if (p.IsInvalid)
            {
                continue; // the reference step names the disposed parameter
            }

            using torch.Tensor? grad = p.grad;
            if (grad is null || !NativeTensor.IsSparseOf(grad))
            {
                continue;
            }

            string name = DisplayName;
            if (name is "SGD")
            {
                return; // SGD's update (add_ of the sparse gradient) runs on LibTorch's sparse kernels, as in PyTorch
            }

            if (name is "Adagrad" or "LBFGS")
            {
                throw new TorchException(PyTorchErrorTypes.NotImplementedError, $"{name}.Step: parameter {i} has a sparse gradient; PyTorch's {name} applies sparse gradients, but this implementation does not yet. Pass a dense gradient (p.grad = p.grad.to_dense()).");
            }

            throw new TorchException(PyTorchErrorTypes.RuntimeError, $"{name}.Step: {name} does not support sparse gradients{(name == "Adam" ? ", please consider SparseAdam instead" : string.Empty)} (parameter {i} has one). Pass a dense gradient (p.grad = p.grad.to_dense()), or use an optimizer that takes sparse gradients (SGD, Adagrad).");
        }
    }

    /// <summary>
    /// Whether <see cref="Step"/> has run since the first learning-rate scheduler was attached (PyTorch's
    /// <c>optimizer._opt_called</c>, set by the step wrapper the first scheduler installs): schedulers warn when they are
    /// stepped before the optimizer.
    /// </summary>
    internal bool SteppedSinceSchedulerAttached => stepCountWhenScheduled is { } at && stepCount > at;

    /// <summary>Records that a scheduler drives this optimizer (PyTorch patches <c>optimizer.step</c> once, for the first one).</summary>
    internal void AttachScheduler() => stepCountWhenScheduled ??= stepCount;

    /// <summary>The live state of one parameter (PyTorch's <c>optimizer.state[p]</c>): its tensors by PyTorch's names, and <c>"step"</c> as a new 0-d float32 tensor. Empty when the parameter has no state yet.</summary>
    /// <param name="parameter">One of this optimizer's parameters (the same tensor object that was passed in).</param>
    /// <returns>The state; the buffers are the optimizer's own tensors (do not dispose them). Non-tensor entries (LBFGS's counters and lists) are in <see cref="StateDict"/>.</returns>
    /// <exception cref="ArgumentException">The tensor is not one of this optimizer's parameters.</exception>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public IReadOnlyDictionary<string, torch.Tensor> StateOf(torch.Tensor parameter)
    {
        TensorChecks.ThrowIfNull(parameter, $"{DisplayName}.StateOf");
        ThrowIfDisposed();
        int index = all.FindIndex(p => ReferenceEquals(p, parameter) || p.Handle == parameter.Handle);
        if (index < 0)
        {
            throw new ArgumentException($"{DisplayName}.StateOf: This tensor is not one of the optimizer's parameters; pass the same tensor object that was given to the optimizer.");
        }

        var result = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach ((string key, object? value) in ReadState(index))
        {
            if (value is torch.Tensor t)
            {
                result[key] = t;
            }
        }

        return result;
    }

    /// <summary>PyTorch's <c>optimizer.state_dict()</c>, with copies of every state tensor (see <see cref="OptimizerStateDict"/>).</summary>
    /// <returns>The state dict; every group has all of PyTorch 2.6's keys (<c>foreach</c>, <c>differentiable</c>, ... included).</returns>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public OptimizerStateDict StateDict()
    {
        ThrowIfDisposed();
        var state = new Dictionary<int, IReadOnlyDictionary<string, object?>>();
        using (torch.no_grad())
        {
            for (int i = 0; i < all.Count; i++)
            {
                var s = ReadState(i);
                if (s.Count > 0)
                {
                    var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach ((string key, object? value) in s)
                    {
                        copy[key] = CopyValue(value);
                    }

                    state[i] = copy;
                }
            }
        }

        var groupDicts = new List<IReadOnlyDictionary<string, object?>>();
        long next = 0;
        foreach (ParamGroup g in groups)
        {
            Dictionary<string, object?> d = g.ToStateDict();
            var ids = new List<object?>();
            for (int k = 0; k < g.Params.Count; k++)
            {
                ids.Add(next++);
            }

            d["params"] = ids;
            groupDicts.Add(d);
        }

        return new OptimizerStateDict { State = state, ParamGroups = groupDicts };
    }

    /// <summary>
    /// PyTorch's <c>optimizer.load_state_dict(state_dict)</c> from a state dict of this library.
    /// </summary>
    /// <param name="stateDict">A state dict from an optimizer of the same kind over parameters of the same shapes.</param>
    /// <exception cref="TorchException">See <see cref="LoadStateDict(IReadOnlyDictionary{string, object})"/>.</exception>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void LoadStateDict(OptimizerStateDict stateDict) => LoadStateDict((IReadOnlyDictionary<string, object?>)stateDict);

    /// <summary>
    /// PyTorch's <c>optimizer.load_state_dict(state_dict)</c>: restores every group's options and every parameter's state
    /// (tensors are copied, cast to the parameter's dtype and device, except <c>step</c>). Takes this library's
    /// <see cref="OptimizerStateDict"/> or the dictionary <c>Torch.Load</c> returns for a PyTorch checkpoint's
    /// <c>optimizer.state_dict()</c>, so a PyTorch run resumes here. Saved parameter ids are mapped to this optimizer's
    /// parameters in group order, as PyTorch does. Nothing changes unless the whole state dict is valid.
    /// </summary>
    /// <param name="stateDict">A dictionary with <c>"state"</c> and <c>"param_groups"</c>.</param>
    /// <exception cref="TorchException">The state dict does not fit, with PyTorch's kind (<see cref="TorchException.PyTorchType"/>)
    /// and, where PyTorch 2.6 raises at load, its message: a missing <c>state</c>, <c>param_groups</c> or <c>params</c>
    /// (<c>KeyError</c>); a different number of groups or of parameters in a group (<c>ValueError</c>, PyTorch's text);
    /// a value of the wrong kind (<c>TypeError</c>; <c>AttributeError</c> for a <c>state</c> that is not a dict); a state
    /// name this optimizer does not keep (<c>KeyError</c>, as PyTorch raises for another optimizer's state); a state
    /// tensor whose shape differs from its parameter's (<c>RuntimeError</c>, which PyTorch raises at the next step).
    /// Stricter than PyTorch, which loads these and fails later or never (<c>ValueError</c>): a parameter id listed
    /// twice or state for an id no group lists, a group option this optimizer does not have or out of its range.</exception>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> stateDict)
    {
        TensorChecks.ThrowIfNull(stateDict, $"{DisplayName}.LoadStateDict");
        ThrowIfDisposed();
        if (!stateDict.TryGetValue("param_groups", out object? pgObj))
        {
            throw LoadError(KeyError, "the state dict has no 'param_groups' (KeyError: 'param_groups'); pass what optimizer.state_dict() (PyTorch) or Optimizer.StateDict() returns.", "'param_groups'");
        }

        if (pgObj is not IEnumerable<object?> pgList || pgObj is string)
        {
            throw LoadError(PyTorchErrorTypes.TypeError, $"the state dict's 'param_groups' is {Describe(pgObj)}, not a list of dicts; pass what optimizer.state_dict() (PyTorch) or Optimizer.StateDict() returns.");
        }

        var saved = pgList.Select((g, i) => g as IReadOnlyDictionary<string, object?> ?? throw LoadError(PyTorchErrorTypes.TypeError, $"param_groups[{i}] is {Describe(g)}, not a dict.")).ToList();
        if (saved.Count != groups.Count)
        {
            throw LoadError(PyTorchErrorTypes.ValueError, $"loaded state dict has a different number of parameter groups ({saved.Count}) than this optimizer ({groups.Count}); load a state dict saved by an optimizer built with the same groups.", "loaded state dict has a different number of parameter groups");
        }

        var idMap = new Dictionary<long, int>();
        int next = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            if (!saved[g].TryGetValue("params", out object? idsObj))
            {
                throw LoadError(KeyError, $"param_groups[{g}] has no 'params' (KeyError: 'params'); pass what optimizer.state_dict() (PyTorch) or Optimizer.StateDict() returns.", "'params'");
            }

            List<long> ids = ToIds(idsObj, $"{DisplayName}.LoadStateDict", g) ?? throw LoadError(PyTorchErrorTypes.TypeError, $"param_groups[{g}]['params'] is {Describe(idsObj)}, not a list of parameter ids.");
            if (ids.Count != groups[g].Params.Count)
            {
                throw LoadError(PyTorchErrorTypes.ValueError, $"loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group {g}: {ids.Count} vs {groups[g].Params.Count} parameters); load a state dict saved by an optimizer over the same parameters.", "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
            }

            foreach (long id in ids)
            {
                if (!idMap.TryAdd(id, next++))
                {
                    throw LoadError(PyTorchErrorTypes.ValueError, $"loaded state dict lists parameter id {id} twice in its param_groups (PyTorch would map both positions to one id); pass a state dict from optimizer.state_dict().");
                }
            }
        }

        // Checked in PyTorch's order: the groups first, then the state.
        if (!stateDict.TryGetValue("state", out object? stObj))
        {
            throw LoadError(KeyError, "the state dict has no 'state' (KeyError: 'state'); pass what optimizer.state_dict() (PyTorch) or Optimizer.StateDict() returns.", "'state'");
        }

        var newState = new Dictionary<int, IReadOnlyDictionary<string, object?>>();
        foreach ((long id, object? value) in ToStateEntries(stObj, $"{DisplayName}.LoadStateDict"))
        {
            if (!idMap.TryGetValue(id, out int index))
            {
                throw LoadError(PyTorchErrorTypes.ValueError, $"loaded state dict has state for parameter id {id}, which none of its param_groups lists (this optimizer has {all.Count} parameters; PyTorch would keep it unused); pass a state dict from optimizer.state_dict().");
            }

            if (value is not IReadOnlyDictionary<string, object?> s)
            {
                throw LoadError(PyTorchErrorTypes.TypeError, $"loaded state of parameter {index} is {Describe(value)}, not a dict.");
            }

            foreach ((string name, object? v) in s)
            {
                if (v is torch.Tensor { IsInvalid: true } || (v is IEnumerable<object?> items && v is not string && items.Any(o => o is torch.Tensor { IsInvalid: true })))
                {
                    throw new ObjectDisposedException(nameof(torch.Tensor), $"{DisplayName}.LoadStateDict: loaded state '{name}' of parameter {index} is a disposed tensor (or holds one); keep the state dict's tensors alive until LoadStateDict returns.");
                }
            }

            Translated(() => CheckLoadedState(index, s));
            newState[index] = s;
        }

        for (int g = 0; g < groups.Count; g++)
        {
            ParamGroup group = groups[g];
            IReadOnlyDictionary<string, object?> values = saved[g];
            Translated(() => group.CheckLoad(values));
        }

        for (int g = 0; g < groups.Count; g++)
        {
            groups[g].Load(saved[g]);
        }

        using var noGrad = torch.no_grad();
        for (int i = 0; i < all.Count; i++)
        {
            WriteState(i, newState.TryGetValue(i, out var s) ? s : new Dictionary<string, object?>());
        }
    }

    /// <summary>Disposes the optimizer's own state tensors (never the caller's parameters). Later use raises <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        Dispose(true);
        disposed = true;
        GC.SuppressFinalize(this);
    }

    /// <summary>Raises <see cref="ObjectDisposedException"/> naming this optimizer when it was disposed.</summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    protected void ThrowIfDisposed()
    {
        if (disposed)
        {
            throw new ObjectDisposedException(DisplayName, $"{DisplayName}: this optimizer was disposed (its state tensors are freed); create a new optimizer, carrying the state over with StateDict()/LoadStateDict() before disposing if needed.");
        }
    }

    /// <summary>PyTorch's class name of this optimizer, used in messages.</summary>
    protected virtual string DisplayName => displayName ?? GetType().Name;

    /// <summary>Releases the optimizer's own tensors.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The update itself, called by <see cref="Step"/> once the optimizer is known to be alive.</summary>
    /// <param name="closure">The caller's closure or <see langword="null"/>.</param>
    /// <returns>The loss the closure returned, or <see langword="null"/>.</returns>
    protected abstract torch.Tensor? StepCore(Func<torch.Tensor>? closure);

    /// <summary>Runs the closure with grad enabled, as PyTorch's <c>with torch.enable_grad(): loss = closure()</c>.</summary>
    /// <param name="closure">The closure or <see langword="null"/>.</param>
    /// <returns>Its loss, or <see langword="null"/>.</returns>
    protected static torch.Tensor? EvaluateClosure(Func<torch.Tensor>? closure)
    {
        if (closure is null)
        {
            return null;
        }

        using var enable = torch.enable_grad();
        return closure();
    }

    /// <summary>Why this optimizer cannot take a second parameter group, or <see langword="null"/> when it can.</summary>
    protected virtual string? AddParamGroupUnsupportedReason => null;

    /// <summary>Called after a group was added (the optimizer creates per-parameter bookkeeping here).</summary>
    /// <param name="group">The new group.</param>
    /// <param name="firstIndex">The index of its first parameter in <see cref="Parameters"/>.</param>
    protected virtual void OnParamGroupAdded(ParamGroup group, int firstIndex)
    {
    }

    /// <summary>
    /// Checks the constructor's hyperparameters: the checks PyTorch 2.6's constructor of the optimizer named
    /// <see cref="DisplayName"/> makes, in its order and with its comparisons (an optimizer PyTorch does not have: every
    /// check of the keys it uses). Parameter groups, <c>group["key"] = value</c> and loaded state dicts are not
    /// range-checked, as PyTorch does not check them; only what this implementation cannot run is refused there.
    /// </summary>
    /// <param name="options">The complete options of a group.</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    protected virtual void Validate(IReadOnlyDictionary<string, object?> options) => OptimizerValidation.Options(DisplayName, options);

    /// <summary>The names of the per-parameter state this optimizer keeps (PyTorch's), for <see cref="LoadStateDict(IReadOnlyDictionary{string, object})"/>'s check.</summary>
    protected abstract IReadOnlyCollection<string> StateNames { get; }

    /// <summary>The state names that hold one number (a 0-d tensor or a number: <c>step</c>, <c>mu_product</c>, ...) rather than a tensor shaped like the parameter.</summary>
    protected virtual IReadOnlyCollection<string> ScalarStateNames => ["step"];

    /// <summary>Checks one parameter's loaded state: known names, scalars where PyTorch keeps scalars, tensors of the parameter's shape elsewhere.</summary>
    /// <param name="index">The parameter's index.</param>
    /// <param name="state">The loaded state.</param>
    /// <exception cref="TorchException">An unknown name (<c>KeyError</c>), a wrong kind of value (<c>TypeError</c>) or a wrong shape (<c>RuntimeError</c>).
    /// An <see cref="ArgumentException"/> an override throws reaches the caller as a <see cref="TorchException"/> <c>ValueError</c>.</exception>
    protected virtual void CheckLoadedState(int index, IReadOnlyDictionary<string, object?> state)
    {
        TensorChecks.ThrowIfNull(state, $"{DisplayName}.LoadStateDict");
        torch.Tensor p = all[index];
        foreach ((string name, object? value) in state)
        {
            if (!StateNames.Contains(name))
            {
                throw LoadError(KeyError, $"loaded state of parameter {index} has '{name}', which {DisplayName} does not keep (it keeps: {string.Join(", ", StateNames)}); was the state dict saved by another optimizer? (PyTorch raises KeyError for the state its own optimizer misses.)");
            }

            if (ScalarStateNames.Contains(name))
            {
                if (!(value is torch.Tensor { IsInvalid: false } t && t.numel() == 1) && value is not (double or long or float or int))
                {
                    throw LoadError(PyTorchErrorTypes.TypeError, $"loaded state '{name}' of parameter {index} must be a number or a one-element tensor; got {Describe(value)}.");
                }
            }
            else if (value is not torch.Tensor { IsInvalid: false } t)
            {
                throw LoadError(PyTorchErrorTypes.TypeError, $"loaded state '{name}' of parameter {index} must be a tensor; got {Describe(value)}.");
            }
            else if (!t.shape.SequenceEqual(p.shape))
            {
                throw LoadError(PyTorchErrorTypes.RuntimeError, $"loaded state '{name}' of parameter {index} has shape [{string.Join(", ", t.shape)}], the parameter has [{string.Join(", ", p.shape)}] (PyTorch raises at the next step: The size of tensor a must match the size of tensor b); load a state dict saved over parameters of the same shapes.");
            }
            else if (!(torch.is_floating_point(t) || torch.is_complex(t)) || torch.is_complex(t) != torch.is_complex(p))
            {
                throw LoadError(PyTorchErrorTypes.TypeError, $"loaded state '{name}' of parameter {index} has dtype {t.dtype}, which cannot hold the state of a {p.dtype} parameter.");
            }
        }
    }

    /// <summary>The live state of parameter <paramref name="index"/> by PyTorch's names (tensors, numbers, lists); <c>"step"</c> as a new 0-d float32 tensor.</summary>
    /// <param name="index">The parameter's index in <see cref="Parameters"/>.</param>
    /// <returns>The state (empty when none).</returns>
    protected abstract IReadOnlyDictionary<string, object?> ReadState(int index);

    /// <summary>Replaces the state of parameter <paramref name="index"/> with copies of <paramref name="state"/> (empty: no state); called after <see cref="CheckLoadedState"/> accepted it.</summary>
    /// <param name="index">The parameter's index in <see cref="Parameters"/>.</param>
    /// <param name="state">The state to copy in.</param>
    protected abstract void WriteState(int index, IReadOnlyDictionary<string, object?> state);

    /// <summary>A state tensor copied onto the parameter's device and dtype, detached and kept out of any dispose scope.</summary>
    /// <param name="source">The tensor to copy.</param>
    /// <param name="like">The parameter.</param>
    /// <returns>The copy.</returns>
    protected static torch.Tensor CopyLike(torch.Tensor source, torch.Tensor like)
    {
        TensorChecks.ThrowIfNull(source, "Optimizer.LoadStateDict");
        TensorChecks.ThrowIfNull(like, "Optimizer.LoadStateDict");
        using var noGrad = torch.no_grad();
        return source.detach().to(like.dtype, like.device).contiguous().clone().DetachFromDisposeScope();
    }

    /// <summary>A 0-d float32 tensor holding a step count (PyTorch's Python optimizers store <c>state["step"]</c> this way).</summary>
    /// <param name="step">The count.</param>
    /// <returns>The tensor.</returns>
    protected static torch.Tensor StepTensor(long step) => torch.tensor((float)step);

    /// <summary>Reads a step count stored as a tensor or a number.</summary>
    /// <param name="step">A 0-d tensor, <see cref="long"/> or <see cref="double"/>.</param>
    /// <returns>The count.</returns>
    protected static long StepValue(object? step) => (long)Math.Round(ScalarValue(step));

    /// <summary>Reads a number stored as a one-element tensor or a .NET number.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentException">Not a number.</exception>
    protected static double ScalarValue(object? value) => value switch
    {
        torch.Tensor { IsInvalid: true } => throw new ObjectDisposedException(nameof(torch.Tensor), "Optimizer.LoadStateDict: a state value is a disposed tensor; keep the state dict's tensors alive until LoadStateDict returns."),
        torch.Tensor t when t.numel() != 1 => throw new ArgumentException($"Optimizer.LoadStateDict: Expected a number or a one-element tensor, got {Describe(value)}. Pass the state dict that optimizer.state_dict() returned."),
        torch.Tensor t => t.dtype == torch.ScalarType.Float64 ? t.item<double>() : t.dtype == torch.ScalarType.Float32 ? t.item<float>() : t.to(torch.ScalarType.Float64).item<double>(),
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        _ => throw new ArgumentException($"Optimizer.LoadStateDict: Expected a number or a one-element tensor, got {Describe(value)}. Pass the state dict that optimizer.state_dict() returned."),
    };

    private const string KeyError = "KeyError";

    /// <summary>A load_state_dict error of PyTorch's kind, its first line naming this optimizer's LoadStateDict.</summary>
    private TorchException LoadError(string kind, string problem, string? pyTorchMessage = null, Exception? inner = null) =>
        new(kind, $"{DisplayName}.LoadStateDict: {problem}", pyTorchMessage, innerException: inner);

    /// <summary>Runs a check whose <see cref="ArgumentException"/>s (a derived optimizer's state check, a group option's range
    /// or kind) are this method's <c>ValueError</c>s, and its <see cref="InvalidCastException"/>s <c>TypeError</c>s.</summary>
    private void Translated(Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException ex) when (ex is not ArgumentNullException)
        {
            throw LoadError(PyTorchErrorTypes.ValueError, StripMember(ex.Message), inner: ex);
        }
        catch (InvalidCastException ex)
        {
            throw LoadError(PyTorchErrorTypes.TypeError, StripMember(ex.Message), inner: ex);
        }
    }

    private string StripMember(string message)
    {
        foreach (string member in new[] { $"{DisplayName}.LoadStateDict: ", $"{DisplayName}: " })
        {
            if (message.StartsWith(member, StringComparison.Ordinal))
            {
                return message[member.Length..];
            }
        }

        return message;
    }

    private static object? CopyValue(object? value) => value switch
    {
        torch.Tensor t => t.detach().clone().DetachFromDisposeScope(),
        IReadOnlyList<object?> list => list.Select(CopyValue).ToList(),
        _ => value,
    };

    private static string Describe(object? value) => value switch
    {
        null => "None (null)",
        torch.Tensor { IsInvalid: true } => "a disposed tensor",
        torch.Tensor t => $"a {t.dtype} tensor of shape [{string.Join(", ", t.shape)}]",
        _ => $"{value.GetType().Name} ({Convert.ToString(value, CultureInfo.InvariantCulture)})",
    };

    private static List<long>? ToIds(object? ids, string member, int group)
    {
        if (ids is not System.Collections.IEnumerable e || ids is string)
        {
            return null;
        }

        var list = new List<long>();
        foreach (object? o in e)
        {
            list.Add(o switch
            {
                long l => l,
                int i => i,
                _ => throw new TorchException(PyTorchErrorTypes.TypeError, $"{member}: param_groups[{group}]['params'] holds {Describe(o)}, which is not an integer parameter id; pass the state dict that optimizer.state_dict() returned (its 'params' lists integer ids)."),
            });
        }

        return list;
    }

    private static IEnumerable<(long Id, object? Value)> ToStateEntries(object? state, string member)
    {
        switch (state)
        {
            case IReadOnlyDictionary<object, object?> d:
                foreach ((object key, object? value) in d)
                {
                    yield return (key switch
                    {
                        long l => l,
                        int i => i,
                        _ => throw new TorchException(PyTorchErrorTypes.TypeError, $"{member}: a key of the state dict's 'state' is {Describe(key)}, not an integer; PyTorch keys it by parameter index. Pass the state dict that optimizer.state_dict() returned."),
                    }, value);
                }

                break;
            case IReadOnlyDictionary<int, IReadOnlyDictionary<string, object?>> typed:
                foreach ((int key, var value) in typed)
                {
                    yield return (key, value);
                }

                break;
            case IReadOnlyDictionary<long, object?> byLong:
                foreach ((long key, object? value) in byLong)
                {
                    yield return (key, value);
                }

                break;
            default:
                throw new TorchException("AttributeError", $"{member}: the state dict's 'state' is {Describe(state)}, not a dict keyed by parameter index (PyTorch: AttributeError, no attribute 'items'); pass what optimizer.state_dict() returns.");
        }
    }

    private void AddGroupCore(ParamGroup group, bool initial)
    {
        if (!initial && groups.Count > 0 && AddParamGroupUnsupportedReason is { } reason)
        {
            throw new NotSupportedException(reason);
        }

        if (initial && groups.Count > 0 && AddParamGroupUnsupportedReason is { } reason1)
        {
            throw new ArgumentException($"{DisplayName}: " + reason1);
        }

        IReadOnlyList<torch.Tensor> list = [];
        OptimizerValidation.Named(initial ? DisplayName : DisplayName + ".AddParamGroup", () =>
        {
            list = OptimizerValidation.Parameters(group.Params, all);
            group.Bind(defaults, list);
        });
        int first = all.Count;
        groups.Add(group);
        all.AddRange(list);
        OnParamGroupAdded(group, first);
    }
}
