using System.Reflection;

namespace TorchFacade.Examples;

/// <summary>Every ported snippet, in folder order (what <c>torchfacade tour</c> runs).</summary>
public static class ExampleCatalog
{
    private static readonly Lazy<IReadOnlyList<IExample>> AllExamples = new(() =>
        typeof(ExampleCatalog).Assembly.GetTypes()
            .Where(t => typeof(IExample).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }
                        && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
            .Select(t => (IExample)Activator.CreateInstance(t)!)
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList());

    /// <summary>All examples, sorted by name.</summary>
    public static IReadOnlyList<IExample> All => AllExamples.Value;

    /// <summary>The example with the given folder name.</summary>
    /// <param name="name">For example <c>01-autograd-mean-grad</c>.</param>
    /// <returns>The example.</returns>
    /// <exception cref="KeyNotFoundException">No example has that name; the message lists the names.</exception>
    public static IExample Get(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No example named '{name}'. Known: {string.Join(", ", All.Select(e => e.Name))}.");
}
