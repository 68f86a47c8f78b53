using System.Collections;
using System.Runtime.CompilerServices;

namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// A scheduler argument that PyTorch takes as "float or list": one value for every parameter group
/// (<c>maxLr: 0.1</c>), or one value per group (<c>maxLr: [0.1, 0.01]</c>), which must then have as many values as
/// the optimizer has groups (PyTorch's <c>_format_param</c>).
/// </summary>
[CollectionBuilder(typeof(PerGroup), nameof(Create))]
public readonly struct PerGroup : IEnumerable<double>
{
    private readonly double[]? values;
    private readonly double scalar;

    /// <summary>One value for every group.</summary>
    /// <param name="value">The value.</param>
    public PerGroup(double value)
    {
        scalar = value;
        values = null;
    }

    /// <summary>One value per group, in group order.</summary>
    /// <param name="values">The values.</param>
    public PerGroup(IEnumerable<double> values)
    {
        TensorChecks.ThrowIfNull(values, "PerGroup");
        this.values = [.. values];
        scalar = 0;
    }

    /// <summary>Whether this is a list (one value per group) rather than one value for all.</summary>
    public bool IsList => values is not null;

    /// <summary>The values: one per group for a list, the single value otherwise.</summary>
    public IReadOnlyList<double> Values => values ?? [scalar];

    /// <summary>One value for every group.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator PerGroup(double value) => new(value);

    /// <summary>One value per group.</summary>
    /// <param name="values">The values.</param>
    public static implicit operator PerGroup(double[] values) => new(values);

    /// <summary>One value per group.</summary>
    /// <param name="values">The values.</param>
    public static implicit operator PerGroup(List<double> values) => new(values);

    /// <summary>One value for every group (for languages without implicit conversions).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The argument.</returns>
    public static PerGroup FromDouble(double value) => new(value);

    /// <summary>Builds a per-group list from a collection expression, <c>[0.1, 0.01]</c>.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The argument.</returns>
    public static PerGroup Create(ReadOnlySpan<double> values) => new(values.ToArray());

    /// <inheritdoc />
    public IEnumerator<double> GetEnumerator() => Values.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>PyTorch's <c>_format_param</c>: the value for each of the optimizer's groups.</summary>
    /// <param name="member">The scheduler being created, for the message.</param>
    /// <param name="name">PyTorch's argument name, for the message.</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <returns>One value per group.</returns>
    /// <exception cref="ArgumentException">A list whose length is not the number of groups (PyTorch's message).</exception>
    internal List<double> Format(string member, string name, Optimizer optimizer)
    {
        int groups = optimizer.ParamGroups.Count;
        if (values is null)
        {
            return Enumerable.Repeat(scalar, groups).ToList();
        }

        if (values.Length != groups)
        {
            throw new ArgumentException($"{member}: {name} must have the same length as optimizer.param_groups. {name} has {values.Length} values, param_groups has {groups}. Pass one value per parameter group, or a single value for all of them.");
        }

        return [.. values];
    }
}
