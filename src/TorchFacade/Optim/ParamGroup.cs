using TorchSharp;

namespace TorchFacade.Optim;

/// <summary>
/// One parameter group of an optimizer, as in PyTorch's <c>optimizer.param_groups[i]</c>: the parameters and the
/// hyperparameters they are updated with. Options use PyTorch's keys (<c>lr</c>, <c>momentum</c>, <c>weight_decay</c>,
/// <c>betas</c>, ...) and can be changed between steps, like <c>group["lr"] = 0.01</c> in Python (how learning-rate
/// schedules work).
/// </summary>
public sealed class ParamGroup
{
    private readonly Dictionary<string, object> options;
    private readonly Action<IReadOnlyDictionary<string, object>> validate;

    internal ParamGroup(IReadOnlyList<torch.Tensor> parameters, IReadOnlyDictionary<string, object> options, Action<IReadOnlyDictionary<string, object>> validate)
    {
        Params = parameters;
        this.options = new Dictionary<string, object>(options, StringComparer.Ordinal);
        this.validate = validate;
        validate(this.options);
    }

    /// <summary>The parameters of this group (the caller's own tensors, never copies); PyTorch's <c>group["params"]</c>.</summary>
    public IReadOnlyList<torch.Tensor> Params { get; }

    /// <summary>The learning rate; PyTorch's <c>group["lr"]</c>. Takes effect at the next <see cref="Optimizer.Step"/>.</summary>
    /// <exception cref="ArgumentException">The value is negative or NaN (PyTorch: <c>Invalid learning rate</c>).</exception>
    public double Lr
    {
        get => (double)options["lr"];
        set => this["lr"] = value;
    }

    /// <summary>The hyperparameters by PyTorch's key, read-only view (values are <see cref="double"/>, <see cref="bool"/> or <c>(double, double)</c> for <c>betas</c>).</summary>
    public IReadOnlyDictionary<string, object> Options => options;

    /// <summary>Reads or changes one hyperparameter by PyTorch's key, e.g. <c>group["momentum"] = 0.9</c>.</summary>
    /// <param name="key">A key this optimizer has (see <see cref="Options"/>).</param>
    /// <returns>The current value.</returns>
    /// <exception cref="KeyNotFoundException">The optimizer has no such hyperparameter; the message lists the keys it has.</exception>
    /// <exception cref="ArgumentException">The value has the wrong type, or is out of range as PyTorch checks it.</exception>
    public object this[string key]
    {
        get => options.TryGetValue(key, out object? value) ? value : throw UnknownKey(key);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!options.TryGetValue(key, out object? current))
            {
                throw UnknownKey(key);
            }

            object converted = Convert(key, value, current);
            var candidate = new Dictionary<string, object>(options, StringComparer.Ordinal) { [key] = converted };
            validate(candidate);
            options[key] = converted;
        }
    }

    /// <summary>Reads a hyperparameter as <see cref="double"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    public double GetDouble(string key) => (double)this[key];

    /// <summary>Reads a hyperparameter as <see cref="bool"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    public bool GetBool(string key) => (bool)this[key];

    /// <summary>Replaces every option with the values in <paramref name="values"/> (keys must match), validated first.</summary>
    internal void Load(IReadOnlyDictionary<string, object> values)
    {
        var candidate = new Dictionary<string, object>(options, StringComparer.Ordinal);
        foreach ((string key, object value) in values)
        {
            if (key == "params")
            {
                continue;
            }

            if (!options.TryGetValue(key, out object? current))
            {
                throw new ArgumentException($"The loaded parameter group has the option '{key}', which this optimizer does not have (it has: {string.Join(", ", options.Keys)}).", nameof(values));
            }

            candidate[key] = Convert(key, value, current);
        }

        validate(candidate);
        foreach ((string key, object value) in candidate)
        {
            options[key] = value;
        }
    }

    private static object Convert(string key, object value, object current) => current switch
    {
        double => value switch
        {
            double d => d,
            float f => (double)f,
            int i => (double)i,
            long l => (double)l,
            _ => throw WrongType(key, value, "a number"),
        },
        bool => value is bool b ? b : throw WrongType(key, value, "a bool"),
        ValueTuple<double, double> => value is ValueTuple<double, double> t ? t : throw WrongType(key, value, "a (double, double) tuple"),
        _ => value,
    };

    private static ArgumentException WrongType(string key, object value, string expected) =>
        new($"Option '{key}' must be {expected}; got {value.GetType().Name} ({value}).", nameof(value));

    private KeyNotFoundException UnknownKey(string key) =>
        new($"This optimizer has no hyperparameter '{key}'. Its parameter groups have: {string.Join(", ", options.Keys)} (PyTorch's names).");
}
