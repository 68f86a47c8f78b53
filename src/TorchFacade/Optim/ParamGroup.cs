using TorchSharp;

namespace TorchFacade.Optim;

/// <summary>
/// One parameter group of an optimizer, as in PyTorch's <c>optimizer.param_groups[i]</c>: the parameters and the
/// hyperparameters they are updated with. Options use PyTorch's keys (<c>lr</c>, <c>momentum</c>, <c>weight_decay</c>,
/// <c>betas</c>, ...) and can be changed between steps, like <c>group["lr"] = 0.01</c> in Python (how learning-rate
/// schedules work).
/// </summary>
/// <remarks>
/// A new group is PyTorch's dict in an optimizer's parameter list:
/// <c>new ParamGroup(model.Head.parameters()) { Lr = 0.01, ["momentum"] = 0.9 }</c> is
/// <c>{"params": model.head.parameters(), "lr": 0.01, "momentum": 0.9}</c>. Until the group is given to an optimizer
/// (its constructor or <see cref="Optimizer.AddParamGroup(ParamGroup)"/>) it holds only the options set on it; the
/// optimizer then fills in its defaults and checks every value. Besides the optimizer's own keys a group accepts the
/// keys PyTorch's learning-rate schedulers write into groups (<see cref="SchedulerKeys"/>).
/// </remarks>
public sealed class ParamGroup
{
    /// <summary>The keys PyTorch's schedulers add to groups (<c>initial_lr</c>, <c>max_lr</c>, <c>min_lr</c>, <c>base_momentum</c>, <c>max_momentum</c>); any group may hold them, as numbers.</summary>
    public static readonly IReadOnlyList<string> SchedulerKeys = ["initial_lr", "max_lr", "min_lr", "base_momentum", "max_momentum"];

    private readonly Dictionary<string, object?> options;
    private bool bound;

    /// <summary>Creates an unbound group over <paramref name="parameters"/>: set options on it, then give it to an optimizer.</summary>
    /// <param name="parameters">The tensors of the group (the caller's own tensors).</param>
    public ParamGroup(IEnumerable<torch.Tensor> parameters)
    {
        TensorChecks.ThrowIfNull(parameters, "ParamGroup");
        Params = [.. parameters];
        options = new Dictionary<string, object?>(StringComparer.Ordinal);
    }

    /// <summary>The parameters of this group (the caller's own tensors, never copies); PyTorch's <c>group["params"]</c>.</summary>
    public IReadOnlyList<torch.Tensor> Params { get; private set; }

    /// <summary>Whether the group belongs to an optimizer (its options are then complete and checked).</summary>
    public bool IsBound => bound;

    /// <summary>The learning rate; PyTorch's <c>group["lr"]</c>. Takes effect at the next <see cref="Optimizer.Step"/>.</summary>
    /// <exception cref="KeyNotFoundException">Read on an unbound group that has no <c>lr</c> set.</exception>
    public double Lr
    {
        get => GetDouble("lr");
        set => this["lr"] = value;
    }

    /// <summary>The hyperparameters by PyTorch's key, read-only view (values are <see cref="double"/>, <see cref="long"/>,
    /// <see cref="bool"/>, <see cref="string"/>, <c>(double, double)</c> for pairs such as <c>betas</c>, or
    /// <see langword="null"/> for PyTorch's <c>None</c>, e.g. <c>foreach</c>).</summary>
    public IReadOnlyDictionary<string, object?> Options => options;

    /// <summary>Reads or changes one hyperparameter by PyTorch's key, e.g. <c>group["momentum"] = 0.9</c>.</summary>
    /// <param name="key">A key this optimizer has (see <see cref="Options"/>), or one of <see cref="SchedulerKeys"/>.</param>
    /// <returns>The current value.</returns>
    /// <exception cref="KeyNotFoundException">The optimizer has no such hyperparameter; the message lists the keys it has.</exception>
    /// <exception cref="ArgumentException">The value has the wrong type. (Its range is not checked: PyTorch checks ranges only in the constructor, and a scheduler may write any value.)</exception>
    public object? this[string key]
    {
        get
        {
            TensorChecks.ThrowIfNull(key, "ParamGroup[key]");
            return options.TryGetValue(key, out object? value) ? value : throw UnknownKey(key);
        }

        set
        {
            TensorChecks.ThrowIfNull(key, "ParamGroup[key]");
            if (!bound)
            {
                options[key] = value;
                return;
            }

            object? converted;
            if (options.TryGetValue(key, out object? current))
            {
                converted = Convert(key, value, current);
            }
            else if (SchedulerKeys.Contains(key))
            {
                converted = Convert(key, value, 0.0);
            }
            else
            {
                throw UnknownKey(key);
            }

            var candidate = new Dictionary<string, object?>(options, StringComparer.Ordinal) { [key] = converted };
            OptimizerValidation.Named($"ParamGroup[\"{key}\"]", () => OptimizerValidation.Capabilities(candidate));
            options[key] = converted;
        }
    }

    /// <summary>Whether the group has the key (its optimizer's keys, and scheduler keys once set).</summary>
    /// <param name="key">PyTorch's key.</param>
    /// <returns>True when present.</returns>
    public bool ContainsKey(string key) => options.ContainsKey(key);

    /// <summary>Reads a hyperparameter as <see cref="double"/> (a <see cref="long"/> value is widened).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not a number.</exception>
    public double GetDouble(string key) => this[key] switch
    {
        double d => d,
        long l => l,
        int i => i,
        float f => f,
        var other => throw new InvalidCastException($"Option '{key}' is {Describe(other)}, not a number."),
    };

    /// <summary>Reads a hyperparameter as <see cref="bool"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidCastException">The value is not a bool.</exception>
    public bool GetBool(string key) => this[key] is bool b ? b : throw new InvalidCastException($"Option '{key}' is {Describe(this[key])}, not a bool.");

    /// <summary>Reads a pair hyperparameter (<c>betas</c>, <c>etas</c>, <c>step_sizes</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The pair.</returns>
    /// <exception cref="InvalidCastException">The value is not a pair.</exception>
    public (double First, double Second) GetPair(string key) => this[key] is ValueTuple<double, double> t ? t : throw new InvalidCastException($"Option '{key}' is {Describe(this[key])}, not a (double, double) pair.");

    /// <summary>Binds the group to an optimizer: checks the keys and types set on it, fills the defaults, refuses what the optimizers cannot run (<see cref="OptimizerValidation.Capabilities"/>; ranges are not checked, as in PyTorch).</summary>
    /// <param name="defaults">The optimizer's defaults.</param>
    /// <param name="parameters">The checked parameter list.</param>
    internal void Bind(IReadOnlyDictionary<string, object?> defaults, IReadOnlyList<torch.Tensor> parameters)
    {
        if (bound)
        {
            throw new ArgumentException("This parameter group already belongs to an optimizer; create a new ParamGroup for each optimizer.");
        }

        var merged = new Dictionary<string, object?>(defaults, StringComparer.Ordinal);
        foreach ((string key, object? value) in options)
        {
            if (defaults.TryGetValue(key, out object? current))
            {
                merged[key] = Convert(key, value, current);
            }
            else if (SchedulerKeys.Contains(key))
            {
                merged[key] = Convert(key, value, 0.0);
            }
            else
            {
                throw new ArgumentException($"Unknown option '{key}' in a parameter group; this optimizer has: {string.Join(", ", defaults.Keys)} (PyTorch's names).");
            }
        }

        OptimizerValidation.Capabilities(merged);
        options.Clear();
        foreach ((string key, object? value) in merged)
        {
            options[key] = value;
        }

        Params = parameters;
        bound = true;
    }

    /// <summary>Checks that <paramref name="values"/> could be loaded (known keys, right types, options the optimizers can run) without changing anything.</summary>
    /// <param name="values">A saved group (its <c>params</c> entry is ignored).</param>
    internal void CheckLoad(IReadOnlyDictionary<string, object?> values) => Candidate(values);

    /// <summary>Replaces the options with the values in <paramref name="values"/> (keys must be known), checked first.</summary>
    /// <param name="values">A saved group (its <c>params</c> entry is ignored).</param>
    internal void Load(IReadOnlyDictionary<string, object?> values)
    {
        var candidate = Candidate(values);
        foreach ((string key, object? value) in candidate)
        {
            options[key] = value;
        }
    }

    /// <summary>The options in the shared state-dict representation (pairs as two-element lists), in order, without <c>params</c>.</summary>
    /// <returns>A new dictionary.</returns>
    internal Dictionary<string, object?> ToStateDict()
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach ((string key, object? value) in options)
        {
            d[key] = value is ValueTuple<double, double> t ? new List<object?> { t.Item1, t.Item2 } : value;
        }

        return d;
    }

    private Dictionary<string, object?> Candidate(IReadOnlyDictionary<string, object?> values)
    {
        var candidate = new Dictionary<string, object?>(options, StringComparer.Ordinal);
        foreach ((string key, object? value) in values)
        {
            if (key is "params" or "param_names")
            {
                continue;
            }

            if (options.TryGetValue(key, out object? current))
            {
                candidate[key] = Convert(key, value, current);
            }
            else if (SchedulerKeys.Contains(key))
            {
                candidate[key] = Convert(key, value, 0.0);
            }
            else
            {
                throw new ArgumentException($"The loaded parameter group has the option '{key}', which this optimizer does not have (it has: {string.Join(", ", options.Keys)}).");
            }
        }

        if (bound)
        {
            OptimizerValidation.Capabilities(candidate);
        }
        return candidate;
    }

    private static object? Convert(string key, object? value, object? current) => value is null && key is "foreach" or "fused" or "line_search_fn" ? null : current switch
    {
        double => ToDouble(key, value),
        long => value switch
        {
            long l => l,
            int i => (long)i,
            double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
            _ => throw WrongType(key, value, "an integer"),
        },
        bool => value is bool b ? b : throw WrongType(key, value, "a bool"),
        ValueTuple<double, double> => value switch
        {
            ValueTuple<double, double> t => t,
            ValueTuple<double, int> t => (t.Item1, (double)t.Item2),
            ValueTuple<int, double> t => ((double)t.Item1, t.Item2),
            ValueTuple<int, int> t => ((double)t.Item1, (double)t.Item2),
            IReadOnlyList<object?> { Count: 2 } list => (ToDouble(key, list[0]), ToDouble(key, list[1])),
            _ => throw WrongType(key, value, "a (double, double) pair"),
        },

        // Keys whose default is None (foreach, fused, max_eval, line_search_fn) take None or a value of their kind.
        null => value switch
        {
            null or bool or string or long => value,
            int i => (long)i,
            double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
            _ => throw WrongType(key, value, "None, a bool, an integer or a string"),
        },
        string => value is string s ? s : value is null ? null : throw WrongType(key, value, "a string or None"),
        _ => value,
    };

    private static double ToDouble(string key, object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        _ => throw WrongType(key, value, "a number"),
    };

    private static string Describe(object? value) => value is null ? "None (null)" : $"{value.GetType().Name} ({value})";

    private static ArgumentException WrongType(string key, object? value, string expected) =>
        new($"ParamGroup[\"{key}\"]: option '{key}' must be {expected}; got {Describe(value)}.");

    private KeyNotFoundException UnknownKey(string key) =>
        new($"This parameter group has no hyperparameter '{key}'. It has: {string.Join(", ", options.Keys)} (PyTorch's names).");
}
