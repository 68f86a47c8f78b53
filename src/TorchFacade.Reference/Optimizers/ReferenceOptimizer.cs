using System.Numerics;
using System.Runtime.InteropServices;
using TorchFacade.Printing;
using TorchFacade.Reference.Kernels;
using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// The common machinery of the from-scratch optimizers: PyTorch 2.x's single-tensor semantics (a parameter whose grad is
/// null is skipped, gets no state and does not advance its step; a zero grad is a full update), state by PyTorch's
/// names, and the choice between the fused CPU pass and in-place tensor ops (<see cref="Path"/>).
/// </summary>
public abstract class ReferenceOptimizer : Optimizer
{
    private readonly List<ParamState?> states = [];
    private bool needFusedCheck = true;

    /// <summary>Creates the optimizer over one parameter group.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones included: they are skipped while their grad is null).</param>
    /// <param name="defaults">The hyperparameters by PyTorch's key.</param>
    /// <exception cref="ArgumentException">Bad parameters or hyperparameters (PyTorch's messages).</exception>
    protected ReferenceOptimizer(IEnumerable<torch.Tensor> parameters, IReadOnlyDictionary<string, object?> defaults)
        : base(parameters, defaults)
    {
    }

    /// <summary>Creates the optimizer over parameter groups.</summary>
    /// <param name="groups">The groups (options not set on a group take <paramref name="defaults"/>).</param>
    /// <param name="defaults">The hyperparameters by PyTorch's key.</param>
    /// <exception cref="ArgumentException">Bad parameters or hyperparameters (PyTorch's messages).</exception>
    protected ReferenceOptimizer(IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object?> defaults)
        : base(groups, defaults)
    {
    }

    /// <summary>Fused CPU pass where possible (default), or always in-place tensor ops.</summary>
    public UpdatePath Path { get; set; } = UpdatePath.Auto;

    /// <summary>Whether PyTorch applies maximize and the L2 term to a complex parameter's gradient before <c>view_as_real</c> (RMSprop, Adagrad, Adamax, Adadelta).</summary>
    private protected virtual bool DecaysBeforeRealView => false;

    /// <summary>Whether this optimizer keeps a step count in its state (all but SGD).</summary>
    protected virtual bool CountsSteps => true;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A grad's shape, dtype or device differs from its parameter's.</exception>
    protected override torch.Tensor? StepCore(Func<torch.Tensor>? closure)
    {
        torch.Tensor? loss = EvaluateClosure(closure);
        using var noGrad = torch.no_grad();
        using KeptScalars kept = KeptScalars.Open();
        int index = 0;
        foreach (ParamGroup group in ParamGroups)
        {
            CheckGroup(group, index);
            foreach (torch.Tensor p in group.Params)
            {
                torch.Tensor? grad = p.grad;
                if (grad is not null)
                {
                    CheckGrad(p, grad, index);
                    bool complex = torch.is_complex(p);
                    ParamState state = states[index] ??= new ParamState();
                    if (complex && UpdatesComplexDirectly)
                    {
                        // PyTorch's SGD never takes view_as_real: its whole update is complex arithmetic (a + α·b rounded twice, no FMA).
                        state.Complex = false;
                        if (CountsSteps)
                        {
                            state.Step++;
                        }

                        using var complexScope = torch.NewDisposeScope();
                        Update(group, p, grad, state, fused: false);
                        index++;
                        continue;
                    }

                    state.Complex = complex;
                    if (CountsSteps)
                    {
                        state.Step++;
                    }

                    using var scope = torch.NewDisposeScope();
                    torch.Tensor rp = complex ? torch.view_as_real(p) : p;
                    // PyTorch's RMSprop, Adagrad, Adamax and Adadelta add weight_decay·p to the complex gradient before view_as_real:
                    // a complex multiply by (wd, 0) and an add, i.e. g + wd·p rounded twice per real component (no FMA).
                    state.ComplexDecay = complex && DecaysBeforeRealView;
                    torch.Tensor rg = complex ? torch.view_as_real(grad.is_contiguous() ? grad : grad.contiguous()) : grad;
                    Update(group, rp, rg, state, UseFused(rp, rg));
                }

                index++;
            }
        }

        return loss;
    }

    /// <summary>Whether PyTorch updates a complex parameter in complex arithmetic throughout (SGD), instead of on <c>view_as_real</c> views.</summary>
    private protected virtual bool UpdatesComplexDirectly => false;

    /// <summary>
    /// The checks PyTorch's <c>_init_group</c> makes on a group before any of its parameters is updated (groups before it
    /// are already stepped when one fails, as in PyTorch). With <c>fused=True</c> a parameter must be a real
    /// floating-point tensor on a device the fused kernel supports, checked when PyTorch checks: Adam and AdamW check each
    /// parameter when its state is created (its first step with a grad); SGD and Adagrad check only the first parameter
    /// with a grad, once per optimizer (<c>_need_device_dtype_check_for_fused</c>), and a complex parameter after it
    /// reaches their fused kernel, which refuses it (<see cref="FusedComplexError"/>).
    /// </summary>
    /// <param name="group">The group.</param>
    /// <param name="firstIndex">The index of its first parameter.</param>
    /// <exception cref="TorchException">PyTorch's RuntimeError for a complex parameter (or an unsupported device) under <c>fused=True</c>.</exception>
    private void CheckGroup(ParamGroup group, int firstIndex)
    {
        ArgumentNullException.ThrowIfNull(group);
        bool fused = group.ContainsKey("fused") && group["fused"] is true;
        int index = firstIndex;
        torch.Tensor? complex = null;
        foreach (torch.Tensor p in group.Params)
        {
            if (p.grad is not null)
            {
                if (fused && (ChecksFusedOncePerOptimizer ? needFusedCheck : !HasState(index)))
                {
                    CheckFusedDeviceAndDtype(p);
                    needFusedCheck = false;
                }

                CheckParameter(p, index);
                complex ??= torch.is_complex(p) ? p : null;
            }

            index++;
        }

        if (fused && complex is not null && FusedComplexError(complex) is { } kernel)
        {
            throw new TorchException("RuntimeError", kernel + " (set fused to null or false for this parameter's group)", kernel);
        }
    }

    /// <summary>An optimizer's own check of a parameter with a grad, in <c>_init_group</c>'s loop after the fused check (Adagrad's missing state).</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="index">Its index.</param>
    private protected virtual void CheckParameter(torch.Tensor parameter, int index)
    {
    }

    /// <summary>Whether PyTorch checks fused parameters once per optimizer, on the first parameter with a grad (SGD, Adagrad), rather than at each parameter's state creation.</summary>
    private protected virtual bool ChecksFusedOncePerOptimizer => false;

    /// <summary>The RuntimeError PyTorch's fused kernel raises for a complex parameter that the once-per-optimizer check did not see, or null.</summary>
    /// <param name="parameter">The first complex parameter with a grad in the group.</param>
    /// <returns>PyTorch's message, or null.</returns>
    private protected virtual string? FusedComplexError(torch.Tensor parameter) => null;

    private void CheckFusedDeviceAndDtype(torch.Tensor p)
    {
        string devices = FusedSupportsCuda ? "['mps', 'cuda', 'xpu', 'cpu', 'privateuseone']" : "['mps', 'xpu', 'cpu', 'privateuseone']";
        bool supportedDevice = p.device_type == DeviceType.CPU || (FusedSupportsCuda && p.device_type == DeviceType.CUDA);
        if (!torch.is_floating_point(p) || !supportedDevice)
        {
            string pyTorch = $"`fused=True` requires all the params to be floating point Tensors of supported devices: {devices} but {PyTorchFormat.DTypeName(p.dtype)} and {p.device_type.ToString().ToLowerInvariant()}";
            throw new TorchException("RuntimeError", pyTorch + " (set fused to null or false for this parameter's group)", pyTorch);
        }
    }

    /// <summary>Whether parameter <paramref name="index"/> has state (PyTorch: <c>len(self.state[p]) &gt; 0</c>).</summary>
    /// <param name="index">The parameter index.</param>
    /// <returns>True when it has state.</returns>
    private protected bool HasState(int index) => states[index] is not null;

    /// <summary>Whether PyTorch's fused kernel of this optimizer runs on CUDA (Adagrad's does not).</summary>
    private protected virtual bool FusedSupportsCuda => true;

    /// <summary>One parameter's update.</summary>
    /// <param name="group">The parameter's group (read the hyperparameters from it at every step).</param>
    /// <param name="parameter">The parameter, updated in place.</param>
    /// <param name="grad">Its gradient (not null).</param>
    /// <param name="state">Its state, step already advanced.</param>
    /// <param name="fused">Whether to run the fused CPU pass (the parameter and grad are contiguous float32/float64 CPU tensors).</param>
    internal abstract void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused);

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, object?> ReadState(int index)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (states[index] is { } s)
        {
            if (CountsSteps)
            {
                result["step"] = StepTensor(s.Step);
            }

            foreach ((string name, torch.Tensor t) in s.Buffers)
            {
                result[name] = t;
            }
        }

        return result;
    }

    /// <inheritdoc />
    protected override void WriteState(int index, IReadOnlyDictionary<string, object?> state)
    {
        _ = state ?? throw new ArgumentNullException(null, "ReferenceOptimizer: 'state' is null; pass a value.");
        states[index]?.Dispose();
        states[index] = null;
        if (state.Count == 0)
        {
            return;
        }

        torch.Tensor p = Parameters[index];
        var s = new ParamState { Step = state.TryGetValue("step", out object? step) ? StepValue(step) : 0, Complex = torch.is_complex(p) };
        foreach ((string name, object? value) in state)
        {
            if (name == "step")
            {
                continue;
            }

            s.Buffers[name] = ScalarStateNames.Contains(name)
                ? torch.tensor((float)ScalarValue(value)).DetachFromDisposeScope()
                : CopyLike((torch.Tensor)value!, p);
        }

        states[index] = s;
    }

    /// <inheritdoc />
    protected override void OnParamGroupAdded(ParamGroup group, int firstIndex)
    {
        _ = group ?? throw new ArgumentNullException(null, "ReferenceOptimizer: 'group' is null; pass a value.");
        foreach (torch.Tensor p in group.Params)
        {
            states.Add(CreateInitialState(p));
        }
    }

    /// <summary>The state a parameter starts with: none (PyTorch creates state at the first step), except Adagrad.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <returns>The initial state or <see langword="null"/>.</returns>
    private protected virtual ParamState? CreateInitialState(torch.Tensor parameter) => null;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (ParamState? s in states)
            {
                s?.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>A contiguous CPU tensor's first element as a pointer (the tensor must stay alive while it is used).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="t">The tensor, or <see langword="null"/>.</param>
    /// <returns>The address, or null for a null tensor.</returns>
    private static unsafe T* Ptr<T>(torch.Tensor? t)
        where T : unmanaged
    {
        if (t is null)
        {
            return null;
        }

        Span<T> span = MemoryMarshal.Cast<byte, T>(t.bytes);
        return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));
    }

    /// <summary>
    /// Runs the fused CPU pass of <paramref name="rule"/> over one parameter, with PyTorch's gradient prologue from the
    /// group (<c>maximize</c>; <c>weight_decay</c> as an L2 term, or decoupled when <paramref name="decoupled"/>).
    /// </summary>
    /// <typeparam name="TRule">The optimizer's update.</typeparam>
    /// <param name="group">The parameter's group.</param>
    /// <param name="parameter">The parameter (contiguous float32/float64 CPU).</param>
    /// <param name="grad">Its gradient (same layout).</param>
    /// <param name="state">Its state (<see cref="ParamState.ComplexDecay"/>: the L2 term rounded twice).</param>
    /// <param name="rule">The update with its hyperparameters.</param>
    /// <param name="s0">The first state buffer the rule uses, or null.</param>
    /// <param name="s1">The second, or null.</param>
    /// <param name="s2">The third, or null.</param>
    /// <param name="decoupled">Decay the parameter (p·(1 − lr·wd)) instead of adding wd·p to the gradient.</param>
    private protected static void RunFused<TRule>(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, TRule rule, torch.Tensor? s0, torch.Tensor? s1 = null, torch.Tensor? s2 = null, bool decoupled = false)
        where TRule : struct, IStepRule
    {
        if (parameter.dtype == torch.ScalarType.Float32)
        {
            RunFused<float, TRule>(group, parameter, grad, state.ComplexDecay, rule, s0, s1, s2, decoupled);
        }
        else
        {
            RunFused<double, TRule>(group, parameter, grad, state.ComplexDecay, rule, s0, s1, s2, decoupled);
        }
    }

    /// <summary>
    /// PyTorch's gradient prologue as tensor ops: <c>grad.neg()</c> for maximize, then decoupled decay
    /// (<c>param.mul_(1 − lr·wd)</c>) or the L2 term (<c>grad.add(param, alpha=wd)</c>, one fused multiply-add; for a
    /// complex parameter decayed before <c>view_as_real</c>, <see cref="ParamState.ComplexDecay"/>, <c>g + wd·p</c> rounded twice).
    /// </summary>
    /// <param name="group">The parameter's group.</param>
    /// <param name="parameter">The parameter (decayed in place when decoupled).</param>
    /// <param name="grad">Its gradient.</param>
    /// <param name="state">Its state.</param>
    /// <param name="decoupled">Decoupled weight decay.</param>
    /// <returns>The effective gradient.</returns>
    private protected static torch.Tensor EffectiveGrad(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool decoupled = false)
    {
        torch.Tensor g = group.GetBool("maximize") ? grad.neg() : grad;
        double wd = WeightDecayOf(group);
        if (wd != 0)
        {
            if (decoupled)
            {
                parameter.mul_(S(1 - (group.Lr * wd)));
            }
            else
            {
                g = state.ComplexDecay ? g.add(parameter.mul(S(wd)), One) : g.add(parameter, alpha: S(wd));
            }
        }

        return g;
    }

    /// <summary>Whether the parameter, its grad and every state buffer can take the fused CPU pass.</summary>
    private protected bool UseFused(torch.Tensor p, torch.Tensor grad) =>
        Path == UpdatePath.Auto
        && p.device_type == DeviceType.CPU
        && p.dtype is torch.ScalarType.Float32 or torch.ScalarType.Float64
        && grad.dtype == p.dtype
        && grad.device_type == DeviceType.CPU
        && p.is_contiguous() && grad.is_contiguous() && !grad.is_sparse
        && p.numel() * p.element_size() <= int.MaxValue;

    private static double WeightDecayOf(ParamGroup group) => group.ContainsKey("weight_decay") ? group.GetDouble("weight_decay") : 0;

    private static unsafe void RunFused<T, TRule>(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, bool complexDecay, TRule rule, torch.Tensor? s0, torch.Tensor? s1, torch.Tensor? s2, bool decoupled)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TRule : struct, IStepRule
    {
        double wd = WeightDecayOf(group);
        var kernel = new FusedStep<T, TRule>
        {
            P = Ptr<T>(parameter), G = Ptr<T>(grad), S0 = Ptr<T>(s0), S1 = Ptr<T>(s1), S2 = Ptr<T>(s2),
            Maximize = group.GetBool("maximize"),
            HasWeightDecay = wd != 0,
            Decoupled = decoupled,
            UnfusedDecay = complexDecay,
            WeightDecay = wd,
            DecayFactor = 1 - (group.Lr * wd),
            Rule = rule,
        };
        KernelLoop.Run(kernel, parameter.numel());
    }

    private static void CheckGrad(torch.Tensor p, torch.Tensor grad, int index)
    {
        if (!grad.shape.SequenceEqual(p.shape))
        {
            throw new InvalidOperationException($"The grad of parameter {index} has shape [{string.Join(", ", grad.shape)}] but the parameter has [{string.Join(", ", p.shape)}]; a grad must have its parameter's shape.");
        }

        if (grad.dtype != p.dtype || grad.device_type != p.device_type)
        {
            throw new InvalidOperationException($"The grad of parameter {index} is {grad.dtype} on {grad.device} but the parameter is {p.dtype} on {p.device}; they must match (as PyTorch requires).");
        }
    }
}
