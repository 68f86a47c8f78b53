namespace TorchFacade;

/// <summary>A Python dict while it is being unpickled: insertion-ordered, with Python's key equality.</summary>
internal sealed class PickleDict
{
    private readonly OrderedDictionary<object, object?> items = new(PickleKeyComparer.Instance);

    /// <summary>The entries in insertion order.</summary>
    internal OrderedDictionary<object, object?> Items => items;

    /// <summary>Whether it came from <c>collections.OrderedDict</c> (kept for <c>BUILD</c>'s rules).</summary>
    internal bool Ordered { get; init; }

    /// <summary><c>d[key] = value</c>: a new key goes last, an existing one keeps its place.</summary>
    internal void Set(object key, object? value) => items[key] = value;
}
