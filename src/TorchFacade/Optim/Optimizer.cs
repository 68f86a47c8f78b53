using TorchSharp;

namespace TorchFacade.Optim;

/// <summary>
/// The one optimizer shape of TorchFacade, PyTorch's <c>torch.optim.Optimizer</c>: <see cref="ZeroGrad"/>,
/// <see cref="Step"/>, <see cref="ParamGroups"/> with settable learning rate and options, and
/// <see cref="StateDict"/>/<see cref="LoadStateDict"/>. TorchSharp's built-ins (<see cref="BuiltInOptimizers"/>) and the
/// reference optimizers (<c>TorchFacade.Reference.Optimizers</c>) both have it.
/// </summary>
/// <remarks>
/// Optimizers take the tensors a user has: any leaf tensors that require grad, <c>Parameter</c> or not. The caller's
/// tensors stay valid and are updated in place.
/// </remarks>
public abstract class Optimizer : IDisposable
{
    private readonly List<ParamGroup> groups = [];
    private readonly List<torch.Tensor> all = [];

    /// <summary>Creates the optimizer's single parameter group.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="defaults">The hyperparameters by PyTorch's key (must include <c>lr</c>).</param>
    /// <exception cref="ArgumentException">The list is empty, holds a non-leaf tensor, a tensor that does not require grad, a non-floating tensor or the same tensor twice; or a hyperparameter is out of range.</exception>
    protected Optimizer(IEnumerable<torch.Tensor> parameters, IReadOnlyDictionary<string, object> defaults)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(defaults);
        OptimizerValidation.Options(defaults);
        Defaults = defaults;
        AddParamGroup(parameters);
    }

    /// <summary>The hyperparameters the optimizer was created with (PyTorch's <c>optimizer.defaults</c>).</summary>
    public IReadOnlyDictionary<string, object> Defaults { get; }

    /// <summary>The parameter groups (PyTorch's <c>optimizer.param_groups</c>).</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => groups;

    /// <summary>Every parameter over all groups, in order (the indices used by <see cref="StateDict"/>).</summary>
    public IReadOnlyList<torch.Tensor> Parameters => all;

    /// <summary>
    /// Adds a parameter group (PyTorch's <c>add_param_group</c>): options not given take the optimizer's defaults.
    /// </summary>
    /// <param name="parameters">The tensors.</param>
    /// <param name="options">Options that differ from <see cref="Defaults"/>, by PyTorch's key.</param>
    /// <exception cref="ArgumentException">Bad tensors (see the constructor), unknown keys or out-of-range values.</exception>
    public void AddParamGroup(IEnumerable<torch.Tensor> parameters, IReadOnlyDictionary<string, object>? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (groups.Count > 0 && AddParamGroupUnsupportedReason is { } reason)
        {
            throw new NotSupportedException(reason);
        }

        var list = OptimizerValidation.Parameters(parameters, all);
        var merged = new Dictionary<string, object>(Defaults, StringComparer.Ordinal);
        foreach ((string key, object value) in options ?? new Dictionary<string, object>())
        {
            if (!merged.ContainsKey(key))
            {
                throw new ArgumentException($"Unknown option '{key}'; this optimizer has: {string.Join(", ", merged.Keys)}.", nameof(options));
            }

            merged[key] = value;
        }

        var group = new ParamGroup(list, merged, OptimizerValidation.Options);
        int first = all.Count;
        groups.Add(group);
        all.AddRange(list);
        OnParamGroupAdded(group, first);
    }

    /// <summary>
    /// PyTorch's <c>optimizer.zero_grad(set_to_none=True)</c>. With <paramref name="setToNone"/> (PyTorch 2.x's default)
    /// every parameter's <c>grad</c> becomes <see langword="null"/>; a later <see cref="Step"/> skips parameters whose grad
    /// is still null. With <see langword="false"/> existing grads are filled with zeros in place (TorchSharp's own
    /// <c>zero_grad()</c> always does this).
    /// </summary>
    /// <param name="setToNone">Whether grads become null (default) or zero tensors.</param>
    public virtual void ZeroGrad(bool setToNone = true)
    {
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
    /// PyTorch's <c>optimizer.step()</c>: one update of every parameter whose grad is not null. A parameter with a null
    /// grad is skipped: its state is neither created nor advanced (a zero grad is not null and does update).
    /// </summary>
    public abstract void Step();

    /// <summary>The live state of one parameter (PyTorch's <c>optimizer.state[p]</c>): its buffers by PyTorch's names, and <c>"step"</c> as a new 0-d float32 tensor. Empty when the parameter has no state yet.</summary>
    /// <param name="parameter">One of this optimizer's parameters (the same tensor object that was passed in).</param>
    /// <returns>The state; the buffers are the optimizer's own tensors (do not dispose them).</returns>
    /// <exception cref="ArgumentException">The tensor is not one of this optimizer's parameters.</exception>
    public IReadOnlyDictionary<string, torch.Tensor> StateOf(torch.Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        int index = all.FindIndex(p => ReferenceEquals(p, parameter) || p.Handle == parameter.Handle);
        if (index < 0)
        {
            throw new ArgumentException("This tensor is not one of the optimizer's parameters; pass the same tensor object that was given to the optimizer.", nameof(parameter));
        }

        return ReadState(index);
    }

    /// <summary>PyTorch's <c>optimizer.state_dict()</c>, with copies of every state tensor (see <see cref="OptimizerStateDict"/>).</summary>
    /// <returns>The state dict.</returns>
    public OptimizerStateDict StateDict()
    {
        var state = new Dictionary<int, IReadOnlyDictionary<string, torch.Tensor>>();
        using (torch.no_grad())
        {
            for (int i = 0; i < all.Count; i++)
            {
                var s = ReadState(i);
                if (s.Count > 0)
                {
                    state[i] = s.ToDictionary(kv => kv.Key, kv => kv.Key == "step" ? kv.Value : kv.Value.detach().clone(), StringComparer.Ordinal);
                }
            }
        }

        var groupDicts = new List<IReadOnlyDictionary<string, object>>();
        int next = 0;
        foreach (ParamGroup g in groups)
        {
            var d = new Dictionary<string, object>(g.Options, StringComparer.Ordinal) { ["params"] = Enumerable.Range(next, g.Params.Count).ToArray() };
            next += g.Params.Count;
            groupDicts.Add(d);
        }

        return new OptimizerStateDict { State = state, ParamGroups = groupDicts };
    }

    /// <summary>
    /// PyTorch's <c>optimizer.load_state_dict(state_dict)</c>: restores every group's options and every parameter's state
    /// (values are copied, cast to the parameter's dtype and device, except <c>step</c>).
    /// </summary>
    /// <param name="stateDict">A state dict from an optimizer of the same kind over parameters of the same shapes.</param>
    /// <exception cref="ArgumentException">The number of groups, of parameters per group, a state name or a state shape does not match (PyTorch's messages).</exception>
    public void LoadStateDict(OptimizerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (stateDict.ParamGroups.Count != groups.Count)
        {
            throw new ArgumentException($"loaded state dict has a different number of parameter groups ({stateDict.ParamGroups.Count}) than this optimizer ({groups.Count}).", nameof(stateDict));
        }

        for (int g = 0; g < groups.Count; g++)
        {
            int count = stateDict.ParamGroups[g].TryGetValue("params", out object? ids) && ids is int[] idx ? idx.Length : -1;
            if (count != groups[g].Params.Count)
            {
                throw new ArgumentException($"loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group {g}: {count} vs {groups[g].Params.Count} parameters).", nameof(stateDict));
            }
        }

        foreach ((int index, var s) in stateDict.State)
        {
            if (index < 0 || index >= all.Count)
            {
                throw new ArgumentException($"loaded state dict has state for parameter {index}, but this optimizer has {all.Count} parameters.", nameof(stateDict));
            }

            foreach ((string name, torch.Tensor t) in s)
            {
                if (name != "step" && !t.shape.SequenceEqual(all[index].shape))
                {
                    throw new ArgumentException($"loaded state '{name}' of parameter {index} has shape [{string.Join(", ", t.shape)}], the parameter has [{string.Join(", ", all[index].shape)}].", nameof(stateDict));
                }
            }
        }

        for (int g = 0; g < groups.Count; g++)
        {
            groups[g].Load(stateDict.ParamGroups[g]);
        }

        using var noGrad = torch.no_grad();
        for (int i = 0; i < all.Count; i++)
        {
            WriteState(i, stateDict.State.TryGetValue(i, out var s) ? s : new Dictionary<string, torch.Tensor>());
        }
    }

    /// <summary>Disposes the optimizer's own state tensors (never the caller's parameters).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the optimizer's own tensors.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Why this optimizer cannot take a second parameter group, or <see langword="null"/> when it can.</summary>
    protected virtual string? AddParamGroupUnsupportedReason => null;

    /// <summary>Called after a group was added (the optimizer creates per-parameter bookkeeping here).</summary>
    /// <param name="group">The new group.</param>
    /// <param name="firstIndex">The index of its first parameter in <see cref="Parameters"/>.</param>
    protected virtual void OnParamGroupAdded(ParamGroup group, int firstIndex)
    {
    }

    /// <summary>The live state of parameter <paramref name="index"/> by PyTorch's names; <c>"step"</c> as a new 0-d float32 tensor.</summary>
    /// <param name="index">The parameter's index in <see cref="Parameters"/>.</param>
    /// <returns>The state (empty when none).</returns>
    protected abstract IReadOnlyDictionary<string, torch.Tensor> ReadState(int index);

    /// <summary>Replaces the state of parameter <paramref name="index"/> with copies of <paramref name="state"/> (empty: no state).</summary>
    /// <param name="index">The parameter's index in <see cref="Parameters"/>.</param>
    /// <param name="state">The state to copy in.</param>
    protected abstract void WriteState(int index, IReadOnlyDictionary<string, torch.Tensor> state);

    /// <summary>A state tensor copied onto the parameter's device and dtype, detached and kept out of any dispose scope.</summary>
    /// <param name="source">The tensor to copy.</param>
    /// <param name="like">The parameter.</param>
    /// <returns>The copy.</returns>
    protected static torch.Tensor CopyLike(torch.Tensor source, torch.Tensor like)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(like);
        using var noGrad = torch.no_grad();
        return source.detach().to(like.dtype, like.device).contiguous().clone().DetachFromDisposeScope();
    }

    /// <summary>A 0-d float32 tensor holding a step count (PyTorch's Python optimizers store <c>state["step"]</c> this way).</summary>
    /// <param name="step">The count.</param>
    /// <returns>The tensor.</returns>
    protected static torch.Tensor StepTensor(long step) => torch.tensor((float)step);

    /// <summary>Reads a step count stored as a tensor.</summary>
    /// <param name="step">A 0-d tensor.</param>
    /// <returns>The count.</returns>
    protected static long StepValue(torch.Tensor step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return (long)Math.Round(step.to(torch.ScalarType.Float64).item<double>());
    }
}
