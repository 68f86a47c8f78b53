using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace TorchFacade.Optim;

/// <summary>
/// An optimizer's state in the shape of PyTorch's <c>optimizer.state_dict()</c>: per-parameter state by the parameter's
/// index (counted over all groups in order) and each group's options with <c>"params"</c> as the list of indices.
/// <see cref="Optimizer.StateDict"/> fills it with copies, so later steps do not change it; <see cref="Optimizer.LoadStateDict(IReadOnlyDictionary{string, object})"/>
/// copies the values back, so one state dict can be loaded more than once.
/// </summary>
/// <remarks>
/// It is also the dictionary PyTorch's <c>torch.save(optimizer.state_dict())</c> writes, in the representation
/// <c>Torch.Load</c> returns and <c>Torch.Save</c> takes: keys <c>"state"</c> (an
/// <c>IReadOnlyDictionary&lt;object, object?&gt;</c> with <see cref="long"/> keys) and <c>"param_groups"</c> (an
/// <c>IReadOnlyList&lt;object?&gt;</c> of <c>IReadOnlyDictionary&lt;string, object?&gt;</c>); numbers are
/// <see cref="double"/> or <see cref="long"/>, pairs such as <c>betas</c> and lists are <c>IReadOnlyList&lt;object?&gt;</c>,
/// <c>None</c> is <see langword="null"/>, state buffers are tensors.
/// </remarks>
public sealed class OptimizerStateDict : IReadOnlyDictionary<string, object?>
{
    private static readonly string[] TopKeys = ["state", "param_groups"];

    /// <summary>Per-parameter state, e.g. <c>(Tensor)State[0]["exp_avg"]!</c>; a parameter without state (never stepped) has no entry.
    /// The step count is a 0-d float32 tensor under <c>"step"</c>, as PyTorch's Python optimizers store it; LBFGS's state
    /// also holds numbers and lists of tensors, as PyTorch's does.</summary>
    public required IReadOnlyDictionary<int, IReadOnlyDictionary<string, object?>> State { get; init; }

    /// <summary>Each group's options by PyTorch's key (pairs such as <c>betas</c> as two-element lists), plus <c>"params"</c>: the list of its parameter indices (<see cref="long"/>).</summary>
    public required IReadOnlyList<IReadOnlyDictionary<string, object?>> ParamGroups { get; init; }

    /// <inheritdoc />
    public int Count => 2;

    /// <inheritdoc />
    public IEnumerable<string> Keys => TopKeys;

    /// <inheritdoc />
    public IEnumerable<object?> Values => [this["state"], this["param_groups"]];

    /// <summary><c>"state"</c> or <c>"param_groups"</c>, in the shared representation.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">Any other key.</exception>
    public object? this[string key] => TryGetValue(key, out object? v) ? v : throw new KeyNotFoundException($"An optimizer state dict has the keys 'state' and 'param_groups', not '{key}'.");

    /// <inheritdoc />
    public bool ContainsKey(string key) => key is "state" or "param_groups";

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        switch (key)
        {
            case "state":
                var state = new Dictionary<object, object?>();
                foreach ((int index, var s) in State)
                {
                    state[(long)index] = s;
                }

                value = state;
                return true;
            case "param_groups":
                value = ParamGroups.Cast<object?>().ToList();
                return true;
            default:
                value = null;
                return false;
        }
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (string key in TopKeys)
        {
            yield return new KeyValuePair<string, object?>(key, this[key]);
        }
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
