using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using TsOptimizer = TorchSharp.Modules.OptimizerHelper;

namespace TorchFacade.Optim;

/// <summary>
/// One of TorchSharp's built-in optimizers (<c>torch.optim.SGD</c>, <c>Adam</c>, ...) behind TorchFacade's optimizer shape,
/// made to behave like PyTorch 2.x where TorchSharp 0.107 does not: <see cref="Optimizer.ZeroGrad"/> sets grads to null
/// by default, <c>maximize</c> negates the gradient before weight decay (TorchSharp's SGD flips the sign of the whole
/// update instead, which turns L2 decay into growth; its Adagrad has no <c>maximize</c>), and plain tensors can be passed.
/// Create one with <see cref="BuiltInOptimizers"/>.
/// </summary>
/// <remarks>
/// TorchSharp's optimizers take <c>Parameter</c> objects, and <c>new Parameter(t)</c> takes over <c>t</c>'s native handle,
/// leaving the caller's tensor invalid. This wrapper instead builds each <c>Parameter</c> over <c>t.detach()</c>, which
/// shares <c>t</c>'s storage, and hands <c>t.grad</c> to it before each step: updates land in the caller's tensor and the
/// caller's tensor stays valid. A tensor that already is a <c>Parameter</c> is used as it is.
/// </remarks>
public sealed class BuiltInOptimizer : Optimizer
{
    private static readonly string[] PassThrough = ["momentum", "dampening", "weight_decay", "nesterov", "eps", "amsgrad", "alpha", "centered", "lr_decay", "initial_accumulator_value"];

    private readonly List<Parameter> parameters = [];
    private readonly List<bool> bridged = [];
    private TsOptimizer? inner;

    private readonly Func<IEnumerable<Parameter>, TorchSharp.Modules.ParamGroup> groupFactory;

    /// <summary>
    /// Wraps a TorchSharp optimizer that <paramref name="factory"/> builds over the wrapper's own <c>Parameter</c> objects.
    /// <see cref="BuiltInOptimizers"/> calls this for TorchSharp's SGD, Adam, AdamW, Adagrad and RMSprop; call it yourself
    /// to put another TorchSharp optimizer behind TorchFacade's optimizer shape.
    /// </summary>
    /// <param name="name">PyTorch's class name of the wrapped optimizer (e.g. <c>SGD</c>).</param>
    /// <param name="groups">The parameter groups (any leaf tensors; they stay valid).</param>
    /// <param name="defaults">The options in PyTorch's keys (<c>lr</c>, <c>momentum</c>, <c>maximize</c>, ...), as <see cref="OptimizerDefaults"/> makes them.</param>
    /// <param name="factory">Builds the TorchSharp optimizer over the first group's <c>Parameter</c> objects.</param>
    /// <param name="groupFactory">Builds TorchSharp's parameter group for each further group.</param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> or <paramref name="groupFactory"/> is <see langword="null"/>.</exception>
    public BuiltInOptimizer(string name, IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object?> defaults, Func<IEnumerable<Parameter>, TsOptimizer> factory, Func<IEnumerable<Parameter>, TorchSharp.Modules.ParamGroup> groupFactory)
        : base(name, groups, defaults)
    {
        TensorChecks.ThrowIfNull(factory, "BuiltInOptimizer");
        TensorChecks.ThrowIfNull(groupFactory, "BuiltInOptimizer");
        Name = name;
        this.groupFactory = groupFactory;
        int first = ParamGroups[0].Params.Count;
        inner = factory(this.parameters.Take(first).ToList());
        int start = first;
        for (int g = 1; g < ParamGroups.Count; g++)
        {
            int count = ParamGroups[g].Params.Count;
            inner.add_param_group(groupFactory(this.parameters.Skip(start).Take(count).ToList()));
            start += count;
        }
    }

    /// <summary>
    /// Whether this wrapper applies <c>maximize</c> itself, PyTorch's way (default). <see langword="false"/> passes it to
    /// TorchSharp unchanged — the conformance suite does that, to measure TorchSharp's own behaviour.
    /// </summary>
    public bool FixMaximize { get; init; } = true;

    /// <summary>PyTorch's class name of the wrapped optimizer (<c>SGD</c>, <c>Adam</c>, <c>AdamW</c>, <c>Adagrad</c>, <c>RMSprop</c>).</summary>
    public string Name { get; }

    /// <summary>The wrapped TorchSharp optimizer (its parameters are the <c>Parameter</c> objects this wrapper made).</summary>
    /// <exception cref="ObjectDisposedException">The optimizer was disposed.</exception>
    public TsOptimizer Inner
    {
        get
        {
            ThrowIfDisposed();
            return inner ?? throw new ObjectDisposedException(Name);
        }
    }

    /// <inheritdoc />
    protected override string DisplayName => Name ?? base.DisplayName;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => Name switch
    {
        "SGD" => ["momentum_buffer"],
        "Adagrad" => ["step", "sum"],
        "RMSprop" => ["step", "square_avg", "momentum_buffer", "grad_avg"],
        _ => ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
    };

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A parameter's grad has a different shape or dtype than the parameter.</exception>
    protected override torch.Tensor? StepCore(Func<torch.Tensor>? closure)
    {
        torch.Tensor? loss = EvaluateClosure(closure);
        TsOptimizer opt = Inner;
        SyncOptions(opt);
        var negated = new List<torch.Tensor>();
        var restore = new List<(Parameter Param, torch.Tensor? Grad)>();
        try
        {
            using var noGrad = torch.no_grad();
            int k = 0;
            foreach (ParamGroup group in ParamGroups)
            {
                bool maximize = FixMaximize && group.Options.TryGetValue("maximize", out object? m) && m is true;
                foreach (torch.Tensor user in group.Params)
                {
                    Parameter p = parameters[k];
                    torch.Tensor? g = user.grad;
                    if (g is not null && (!g.shape.SequenceEqual(user.shape) || g.dtype != user.dtype))
                    {
                        throw new InvalidOperationException($"The grad of parameter {k} has shape [{string.Join(", ", g.shape)}] and dtype {g.dtype}, the parameter [{string.Join(", ", user.shape)}] and {user.dtype}; they must match.");
                    }

                    if (g is not null && maximize)
                    {
                        g = g.neg();
                        negated.Add(g);
                    }

                    if (!bridged[k] && maximize)
                    {
                        restore.Add((p, user.grad));
                    }

                    if (bridged[k] || maximize)
                    {
                        p.grad = g;
                    }

                    k++;
                }
            }

            EnsureAmsgradState(opt);
            opt.step();
            return loss;
        }
        finally
        {
            for (int k = 0; k < parameters.Count; k++)
            {
                if (bridged[k])
                {
                    parameters[k].grad = null;
                }
            }

            foreach ((Parameter p, torch.Tensor? g) in restore)
            {
                p.grad = g;
            }

            foreach (torch.Tensor g in negated)
            {
                g.Dispose();
            }
        }
    }

    /// <inheritdoc />
    protected override void OnParamGroupAdded(ParamGroup group, int firstIndex)
    {
        TensorChecks.ThrowIfNull(group, $"{DisplayName}.AddParamGroup");
        foreach (torch.Tensor t in group.Params)
        {
            if (t is Parameter p)
            {
                parameters.Add(p);
                bridged.Add(false);
            }
            else
            {
                parameters.Add((Parameter)new Parameter(t.detach(), requires_grad: true).DetachFromDisposeScope());
                bridged.Add(true);
            }
        }

        // The constructor hands the first groups to TorchSharp itself; later groups go through its add_param_group.
        inner?.add_param_group(groupFactory(parameters.Skip(firstIndex).ToList()));
    }

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, object?> ReadState(int index)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        OptimizerState state = Inner.state_dict().State[index];
        switch (state)
        {
            case SGD.State s:
                Add(result, "momentum_buffer", s.momentum_buffer);
                break;
            case Adam.State s:
                AddAdam(result, s.step, s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq);
                break;
            case AdamW.State s:
                AddAdam(result, s.step, s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq);
                break;
            case Adagrad.State s:
                result["step"] = StepTensor(s.step);
                Add(result, "sum", s.sum);
                break;
            case RMSProp.State s:
                if (s.step > 0)
                {
                    result["step"] = StepTensor(s.step);
                    Add(result, "square_avg", s.square_avg);
                    if (GetGroupOf(index).GetDouble("momentum") > 0)
                    {
                        Add(result, "momentum_buffer", s.momentum_buffer);
                    }

                    if (GetGroupOf(index).GetBool("centered"))
                    {
                        Add(result, "grad_avg", s.grad_avg);
                    }
                }

                break;
            default:
                throw new NotSupportedException($"Reading the state of TorchSharp's {state.GetType().Name} is not supported.");
        }

        return result;
    }

    /// <inheritdoc />
    protected override void WriteState(int index, IReadOnlyDictionary<string, object?> state)
    {
        OptimizerState target = Inner.state_dict().State[index];
        Parameter p = parameters[index];
        long step = state.TryGetValue("step", out object? st) ? StepValue(st) : 0;
        switch (target)
        {
            case SGD.State s:
                s.momentum_buffer?.Dispose();
                s.momentum_buffer = state.TryGetValue("momentum_buffer", out object? b) && b is torch.Tensor bt ? CopyLike(bt, p) : null;
                break;
            case Adam.State s:
                s.step = step;
                Fill(s.exp_avg, state, "exp_avg");
                Fill(s.exp_avg_sq, state, "exp_avg_sq");
                s.max_exp_avg_sq = LoadMax(s.max_exp_avg_sq, state, p);

                break;
            case AdamW.State s:
                s.step = step;
                Fill(s.exp_avg, state, "exp_avg");
                Fill(s.exp_avg_sq, state, "exp_avg_sq");
                s.max_exp_avg_sq = LoadMax(s.max_exp_avg_sq, state, p);

                break;
            case Adagrad.State s:
                s.step = step;
                Fill(s.sum, state, "sum");
                break;
            case RMSProp.State s:
                s.step = step;
                Fill(s.square_avg, state, "square_avg");
                Fill(s.momentum_buffer, state, "momentum_buffer");
                Fill(s.grad_avg, state, "grad_avg");
                break;
            default:
                throw new NotSupportedException($"Loading the state of TorchSharp's {target.GetType().Name} is not supported.");
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && inner is not null)
        {
            inner.Dispose();
            inner = null;
            for (int k = 0; k < parameters.Count; k++)
            {
                if (bridged[k])
                {
                    parameters[k].Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    private static torch.Tensor? LoadMax(torch.Tensor? current, IReadOnlyDictionary<string, object?> state, Parameter p)
    {
        if (!state.TryGetValue("max_exp_avg_sq", out object? value) || value is not torch.Tensor source)
        {
            current?.zero_();
            return current;
        }

        current?.Dispose();
        return CopyLike(source, p);
    }

    private static void AddAdam(Dictionary<string, object?> result, long step, torch.Tensor avg, torch.Tensor avgSq, torch.Tensor? max)
    {
        if (step == 0)
        {
            return;
        }

        result["step"] = StepTensor(step);
        Add(result, "exp_avg", avg);
        Add(result, "exp_avg_sq", avgSq);
        Add(result, "max_exp_avg_sq", max);
    }

    private static void Add(Dictionary<string, object?> result, string name, torch.Tensor? t)
    {
        if (t is not null)
        {
            result[name] = t;
        }
    }

    private static void Fill(torch.Tensor? target, IReadOnlyDictionary<string, object?> state, string name)
    {
        if (target is null)
        {
            return;
        }

        if (state.TryGetValue(name, out object? value) && value is torch.Tensor source)
        {
            target.copy_(source);
        }
        else
        {
            target.zero_();
        }
    }

    /// <summary>TorchSharp allocates AMSGrad's buffer only when amsgrad is on at construction; switching it on later (or loading such a state dict) would crash its step.</summary>
    private void EnsureAmsgradState(TsOptimizer opt)
    {
        var states = opt.state_dict().State;
        for (int k = 0; k < states.Count; k++)
        {
            if (!GetGroupOf(k).Options.TryGetValue("amsgrad", out object? ams) || ams is not true)
            {
                continue;
            }

            switch (states[k])
            {
                case Adam.State a when a.max_exp_avg_sq is null:
                    a.max_exp_avg_sq = torch.zeros_like(parameters[k]).DetachFromDisposeScope();
                    break;
                case AdamW.State w when w.max_exp_avg_sq is null:
                    w.max_exp_avg_sq = torch.zeros_like(parameters[k]).DetachFromDisposeScope();
                    break;
            }
        }
    }

    private ParamGroup GetGroupOf(int index)
    {
        int start = 0;
        foreach (ParamGroup g in ParamGroups)
        {
            if (index < start + g.Params.Count)
            {
                return g;
            }

            start += g.Params.Count;
        }

        throw new ArgumentOutOfRangeException(null, $"{DisplayName}: parameter index {index} is out of range; the optimizer has {start} parameters.");
    }

    private void SyncOptions(TsOptimizer opt)
    {
        var tsGroups = ((IEnumerable<object>)opt.ParamGroups).Cast<TorchSharp.Modules.ParamGroup>().ToList();
        for (int g = 0; g < tsGroups.Count; g++)
        {
            ParamGroup mine = ParamGroups[g];
            OptimizerOptions options = tsGroups[g].Options;
            options.LearningRate = mine.Lr;
            Type type = options.GetType();
            foreach (string key in PassThrough)
            {
                if (mine.Options.TryGetValue(key, out object? value))
                {
                    type.GetField(key, BindingFlags.Public | BindingFlags.Instance)?.SetValue(options, value);
                }
            }

            if (mine.Options.TryGetValue("betas", out object? betas))
            {
                (double b1, double b2) = ((double, double))betas!;
                type.GetField("beta1")?.SetValue(options, b1);
                type.GetField("beta2")?.SetValue(options, b2);
            }

            type.GetField("maximize")?.SetValue(options, !FixMaximize && mine.Options.TryGetValue("maximize", out object? max) && max is true);
        }
    }
}
