using TorchFacade.Conformance;

namespace TorchFacade.Cli.Conform;

/// <summary>What <c>torchfacade conform</c> was asked to run (already validated).</summary>
/// <param name="Filter">A substring of the id, or a glob with <c>*</c>; <see langword="null"/> for every id.</param>
/// <param name="Device"><c>cpu</c> or <c>cuda</c>; <see langword="null"/> for both.</param>
/// <param name="DType">A canonical dtype name (<c>float32</c>, ...) or <c>any</c>; <see langword="null"/> for every dtype.</param>
/// <param name="Group">One group; <see langword="null"/> for all.</param>
/// <param name="CasesFrom">An assembly whose <see cref="ICaseSource"/> cases run alongside the catalog, or <see langword="null"/>.</param>
internal sealed record ConformSelection(string? Filter, string? Device, string? DType, CaseGroup? Group, string? CasesFrom = null)
{
    /// <summary>Every case that can be selected: the catalog, plus the <see cref="CasesFrom"/> assembly's cases.</summary>
    /// <returns>The cases.</returns>
    /// <exception cref="InvalidOperationException">The catalog or the assembly is broken.</exception>
    public IReadOnlyList<ConformanceCase> Universe() =>
        CasesFrom is null ? Catalog.All : [.. Catalog.All, .. ExternalCases.Load(CasesFrom)];

    /// <summary>The selected cases, in id order.</summary>
    /// <returns>The cases.</returns>
    public IReadOnlyList<ConformanceCase> Cases() => Catalog.Select(Universe(), Filter, Device, DType, Group);

    /// <summary>The selection in words, e.g. <c>filter 'gelu', device cpu</c>, or <c>every case</c>.</summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Filter))
        {
            parts.Add($"filter '{Filter}'");
        }

        if (Device is not null)
        {
            parts.Add("device " + Device);
        }

        if (DType is not null)
        {
            parts.Add("dtype " + DType);
        }

        if (Group is { } g)
        {
            parts.Add("group " + CaseGroupNames.Of(g));
        }

        return parts.Count == 0 ? "every case" : string.Join(", ", parts);
    }
}
