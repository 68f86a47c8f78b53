using System.Text.Json;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// <c>tests/golden/semantics.json</c>, written by <c>tests/golden/make_semantics_golden.py</c>: what PyTorch says about
/// <c>grad_fn</c> names, storage sharing, in-place results and <c>repr</c>. Read once; <see langword="null"/> when absent.
/// </summary>
internal static class SemanticGolden
{
    /// <summary>The file name inside the golden directory.</summary>
    public const string FileName = "semantics.json";

    private static readonly Lazy<JsonDocument?> Document = new(Read);

    /// <summary>The root element, or <see langword="null"/> when the file is missing.</summary>
    public static JsonElement? Root => Document.Value?.RootElement;

    /// <summary>The PyTorch version that wrote the file.</summary>
    public static string Torch => Root is { } r && r.TryGetProperty("torch", out JsonElement t) ? t.GetString() ?? "?" : "?";

    /// <summary>Why the semantic golden cases cannot run, when the file is missing.</summary>
    public static string MissingReason =>
        $"skipped: no tests/golden/{FileName} (run ./build.sh golden, or set {GoldenFiles.DirectoryVariable})";

    /// <summary>The entries of one section (<c>grad_fn</c>, <c>storage</c>, <c>in_place</c>, <c>repr</c>), by id.</summary>
    /// <param name="section">The section name.</param>
    /// <returns>The entries, or an empty dictionary when the file is missing.</returns>
    public static IReadOnlyDictionary<string, JsonElement> Section(string section)
    {
        var entries = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (Root is { } root && root.TryGetProperty(section, out JsonElement s))
        {
            foreach (JsonProperty p in s.EnumerateObject())
            {
                entries[p.Name] = p.Value;
            }
        }

        return entries;
    }

    /// <summary>One golden-group case per device, id <c>golden/semantics/&lt;area&gt;/&lt;name&gt;/&lt;device&gt;</c>.</summary>
    /// <param name="area">The area (<c>grad-fn</c>, <c>storage</c>, <c>in-place</c>, <c>repr</c>).</param>
    /// <param name="name">The entry's id.</param>
    /// <param name="claim">The claim in words.</param>
    /// <param name="compares">What is compared with what.</param>
    /// <param name="run">The check on a device.</param>
    /// <param name="dtype">The dtype, when the entry has one.</param>
    /// <returns>The cpu and cuda cases.</returns>
    public static IEnumerable<ConformanceCase> Twins(string area, string name, string claim, string compares, Func<torch.Device, CaseResult> run, torch.ScalarType? dtype = null) =>
        CaseKit.PerDevice(
            CaseGroup.Golden, device => $"golden/semantics/{area}/{name}/{device}", claim, compares, run, dtype,
            Tolerance.Exact("structural claim: names, flags and small integers compare exactly"), () => Root is null ? MissingReason : null);

    /// <summary>
    /// A case that fails when the Python catalog and the C# twins list different ids (an expression added on one side only).
    /// </summary>
    /// <param name="area">The area.</param>
    /// <param name="section">The JSON section.</param>
    /// <param name="csharpIds">The ids the C# side implements.</param>
    /// <returns>The case.</returns>
    public static ConformanceCase CatalogMatches(string area, string section, IEnumerable<string> csharpIds)
    {
        string[] mine = [.. csharpIds.Order(StringComparer.Ordinal)];
        return CaseKit.Make(CaseGroup.Golden, $"golden/semantics/{area}/catalog-matches/cpu", "cpu", $"every {area} entry PyTorch recorded in {FileName} has a C# twin, and every C# twin has a PyTorch entry", "ids of tests/golden/make_semantics_golden.py vs the C# catalog", () =>
        {
            string[] golden = [.. Section(section).Keys];
            string[] onlyPython = [.. golden.Except(mine, StringComparer.Ordinal)];
            string[] onlyCSharp = [.. mine.Except(golden, StringComparer.Ordinal)];
            return onlyPython.Length == 0 && onlyCSharp.Length == 0
                ? CaseResult.Pass(note: $"{golden.Length} entries")
                : CaseResult.Fail($"only in Python: [{string.Join(", ", onlyPython)}]; only in C#: [{string.Join(", ", onlyCSharp)}]");
        }, skipWhen: () => Root is null ? MissingReason : null);
    }

    private static JsonDocument? Read()
    {
        if (GoldenFiles.Directory is not { } dir || !File.Exists(Path.Combine(dir, FileName)))
        {
            return null;
        }

        return JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, FileName)));
    }
}
