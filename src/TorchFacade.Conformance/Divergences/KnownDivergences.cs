using System.Text.Json;

namespace TorchFacade.Conformance;

/// <summary>
/// The known-divergences manifest: for each TorchSharp version, the cases whose claims (PyTorch's behaviour) are known
/// not to hold. <see cref="CaseRunner"/> turns the result of a listed case into <see cref="CaseOutcome.ExpectedFailure"/>
/// when it fails as expected and <see cref="CaseOutcome.UnexpectedPass"/> (XPASS, a failure of the run) when it passes:
/// the divergence is fixed and the entry must go. The entries in effect are those of the newest version in the
/// manifest that is not newer than the TorchSharp actually loaded, so after an upgrade every recorded divergence is
/// still expected until the manifest records the new version: a fixed one shows up as XPASS.
/// </summary>
internal sealed class KnownDivergences
{
    /// <summary>An environment variable naming a manifest file to use instead of the embedded one (test fixtures).</summary>
    public const string ManifestVariable = "TORCHFACADE_KNOWN_DIVERGENCES";

    /// <summary>The manifest's schema name.</summary>
    public const string Schema = "torchfacade-known-divergences/1";

    private const string ResourceName = "TorchFacade.Conformance.known-divergences.json";

    private static readonly Lazy<KnownDivergences> Loaded = new(LoadCurrent);

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    private readonly SortedDictionary<Version, IReadOnlyList<KnownDivergence>> byVersion;

    private KnownDivergences(SortedDictionary<Version, IReadOnlyList<KnownDivergence>> byVersion, Version torchSharp)
    {
        this.byVersion = byVersion;
        TorchSharpVersion = torchSharp;
        (Key, Entries) = byVersion.LastOrDefault(kv => kv.Key <= torchSharp) is { Value: not null } hit ? (hit.Key, hit.Value) : (null, []);
    }

    /// <summary>The manifest in effect for this process (the embedded one, or <see cref="ManifestVariable"/>'s file) and the loaded TorchSharp.</summary>
    public static KnownDivergences Current => Loaded.Value;

    /// <summary>The TorchSharp version the entries were chosen for.</summary>
    public Version TorchSharpVersion { get; }

    /// <summary>The manifest version whose entries are in effect, or <see langword="null"/> when none is old enough.</summary>
    public Version? Key { get; }

    /// <summary>The entries in effect.</summary>
    public IReadOnlyList<KnownDivergence> Entries { get; }

    /// <summary>Every version the manifest records.</summary>
    public IReadOnlyCollection<Version> Versions => byVersion.Keys;

    /// <summary>Reads a manifest.</summary>
    /// <param name="json">The manifest's text.</param>
    /// <param name="torchSharp">The TorchSharp version to choose entries for.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="FormatException">The text is not a manifest of <see cref="Schema"/>.</exception>
    public static KnownDivergences Parse(string json, Version torchSharp)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(torchSharp);
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The known-divergences manifest is not valid JSON: {ex.Message}", ex);
        }

        if (manifest is null || manifest.Schema != Schema || manifest.TorchSharp is null)
        {
            throw new FormatException($"The known-divergences manifest must have \"schema\": \"{Schema}\" and a \"torchSharp\" object keyed by version.");
        }

        var byVersion = new SortedDictionary<Version, IReadOnlyList<KnownDivergence>>();
        foreach ((string key, KnownDivergence[] entries) in manifest.TorchSharp)
        {
            if (!Version.TryParse(key, out Version? version))
            {
                throw new FormatException($"The known-divergences manifest has a key '{key}' that is not a TorchSharp version such as 0.107.0.");
            }

            byVersion[version] = entries;
        }

        return new KnownDivergences(byVersion, torchSharp);
    }

    /// <summary>The TorchSharp version loaded in this process (major.minor.build).</summary>
    /// <returns>For example 0.107.0.</returns>
    public static Version LoadedTorchSharp()
    {
        Version v = typeof(torch).Assembly.GetName().Version ?? new Version(0, 0, 0);
        return new Version(v.Major, v.Minor, Math.Max(v.Build, 0));
    }

    /// <summary>The entry in effect for case <paramref name="id"/>, or <see langword="null"/>.</summary>
    /// <param name="id">A case id.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public KnownDivergence? Find(string id) => Entries.FirstOrDefault(e => e.Case.Contains('*', StringComparison.Ordinal) ? Catalog.Matches(id, e.Case) : e.Case == id);

    /// <summary>Applies the manifest to the result of case <paramref name="id"/>: xfail, XPASS, or the result unchanged.</summary>
    /// <param name="id">The case id.</param>
    /// <param name="result">Its result.</param>
    /// <returns>The result as the report shows it.</returns>
    public CaseResult Apply(string id, CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Find(id) is not { } entry)
        {
            return result;
        }

        string version = Key?.ToString(3) ?? TorchSharpVersion.ToString(3);
        if (result.Outcome == CaseOutcome.Failed && entry.Observed is { } observed && !(result.Message ?? string.Empty).Contains(observed, StringComparison.Ordinal))
        {
            return result with { Message = $"{result.Message} (a known divergence is recorded for this case, '{entry.What}', but it fails otherwise: the manifest expects '{observed}')" };
        }

        return result.Outcome switch
        {
            CaseOutcome.Failed => result with
            {
                Outcome = CaseOutcome.ExpectedFailure,
                Message = $"xfail (known divergence, TorchSharp {version}): {entry.What}. PyTorch: {entry.PyTorch}; TorchSharp: {entry.TorchSharp}; workaround: {entry.Workaround}. Observed: {result.Message}",
            },
            CaseOutcome.Passed => result with
            {
                Outcome = CaseOutcome.UnexpectedPass,
                Message = $"XPASS: the known divergence '{entry.What}' (recorded for TorchSharp {version}) no longer holds on TorchSharp {TorchSharpVersion.ToString(3)}: "
                          + $"record {TorchSharpVersion.ToString(3)} in Divergences/known-divergences.json without this entry (and drop the workaround's caveat). {result.Message}".TrimEnd(),
            },
            _ => result,
        };
    }

    private static KnownDivergences LoadCurrent()
    {
        string json;
        if (Environment.GetEnvironmentVariable(ManifestVariable) is { Length: > 0 } path)
        {
            json = File.ReadAllText(path);
        }
        else
        {
            using Stream stream = typeof(KnownDivergences).Assembly.GetManifestResourceStream(ResourceName)
                                  ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from TorchFacade.Conformance.");
            using var reader = new StreamReader(stream);
            json = reader.ReadToEnd();
        }

        return Parse(json, LoadedTorchSharp());
    }

    /// <summary>The manifest's JSON shape.</summary>
    private sealed record Manifest(string? Schema, Dictionary<string, KnownDivergence[]>? TorchSharp);
}
