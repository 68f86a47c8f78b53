using System.Reflection;

namespace TorchFacade.Conformance;

/// <summary>
/// The one catalog of conformance cases: every <see cref="ICaseSource"/> in this assembly, in id order.
/// The CLI (<c>torchfacade conform</c>) and the xunit suite (<c>TorchFacade.Conformance.Tests</c>) both read it.
/// </summary>
public static class Catalog
{
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> AllCases = new(Collect);

    /// <summary>Every case, sorted by id. Ids are unique.</summary>
    public static IReadOnlyList<ConformanceCase> All => AllCases.Value;

    /// <summary>The cases matching a filter.</summary>
    /// <param name="filter">A substring of the id, or a glob with <c>*</c> (case-insensitive); <see langword="null"/> matches all.</param>
    /// <param name="device">Only cases on this device (<c>cpu</c>, <c>cuda</c>); <see langword="null"/> for all.</param>
    /// <param name="dtype">Only cases in this dtype (<c>float32</c>, ...); <see langword="null"/> for all.</param>
    /// <param name="group">Only cases in this group; <see langword="null"/> for all.</param>
    /// <returns>The matching cases in id order.</returns>
    public static IReadOnlyList<ConformanceCase> Select(string? filter = null, string? device = null, string? dtype = null, CaseGroup? group = null) =>
        Select(All, filter, device, dtype, group);

    /// <summary>The cases of <paramref name="cases"/> matching a filter (as <see cref="Select(string?, string?, string?, CaseGroup?)"/>).</summary>
    /// <param name="cases">The cases to choose from, for example the catalog plus cases of another assembly.</param>
    /// <param name="filter">A substring of the id, or a glob with <c>*</c> (case-insensitive); <see langword="null"/> matches all.</param>
    /// <param name="device">Only cases on this device; <see langword="null"/> for all.</param>
    /// <param name="dtype">Only cases in this dtype; <see langword="null"/> for all.</param>
    /// <param name="group">Only cases in this group; <see langword="null"/> for all.</param>
    /// <returns>The matching cases, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cases"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<ConformanceCase> Select(IEnumerable<ConformanceCase> cases, string? filter, string? device, string? dtype, CaseGroup? group)
    {
        ArgumentNullException.ThrowIfNull(cases);
        return cases.Where(c => Matches(c.Id, filter)
                       && (device is null || string.Equals(c.Device, device, StringComparison.OrdinalIgnoreCase))
                       && (dtype is null || string.Equals(c.DTypeName, dtype, StringComparison.OrdinalIgnoreCase))
                       && (group is null || c.Group == group))
            .ToList();
    }

    /// <summary>Whether <paramref name="id"/> matches <paramref name="filter"/> (substring, or glob when it has <c>*</c>).</summary>
    /// <param name="id">A case id.</param>
    /// <param name="filter">The filter.</param>
    /// <returns><see langword="true"/> on a match.</returns>
    public static bool Matches(string id, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return true;
        }

        if (!filter.Contains('*', StringComparison.Ordinal))
        {
            return id.Contains(filter, StringComparison.OrdinalIgnoreCase);
        }

        string pattern = "^" + System.Text.RegularExpressions.Regex.Escape(filter).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(id, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }

    private static IReadOnlyList<ConformanceCase> Collect()
    {
        var sources = typeof(Catalog).Assembly.GetTypes()
            .Where(t => typeof(ICaseSource).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }
                        && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        var cases = new List<ConformanceCase>();
        foreach (Type type in sources)
        {
            cases.AddRange(((ICaseSource)Activator.CreateInstance(type)!).Cases());
        }

        var duplicate = cases.GroupBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Conformance case id '{duplicate.Key}' is produced more than once; ids must be unique.");
        }

        cases.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return cases;
    }
}
