namespace TorchFacade.Conformance;

/// <summary>The lower-case names of <see cref="CaseGroup"/> used in ids, filters, options and reports (<c>semantics</c>, <c>devices</c>, ...).</summary>
public static class CaseGroupNames
{
    /// <summary>Every group name, in catalog order.</summary>
    public static IReadOnlyList<string> Known { get; } = Enum.GetValues<CaseGroup>().Select(Of).ToArray();

    /// <summary>The name of <paramref name="group"/>.</summary>
    /// <param name="group">The group.</param>
    /// <returns>For example <c>activations</c>.</returns>
    public static string Of(CaseGroup group) => group.ToString().ToLowerInvariant();

    /// <summary>Parses a group name, case-insensitively; the singular (<c>activation</c>, <c>device</c>) is accepted too.</summary>
    /// <param name="name">The name.</param>
    /// <param name="group">The parsed group.</param>
    /// <returns><see langword="true"/> when the name is a group.</returns>
    public static bool TryParse(string? name, out CaseGroup group)
    {
        string text = (name ?? string.Empty).Trim();
        foreach (CaseGroup candidate in Enum.GetValues<CaseGroup>())
        {
            string known = Of(candidate);
            if (string.Equals(text, known, StringComparison.OrdinalIgnoreCase)
                || (known.EndsWith('s') && string.Equals(text, known[..^1], StringComparison.OrdinalIgnoreCase)))
            {
                group = candidate;
                return true;
            }
        }

        group = default;
        return false;
    }
}
