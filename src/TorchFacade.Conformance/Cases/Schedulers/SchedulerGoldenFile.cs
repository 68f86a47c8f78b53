using System.Text.Json;
using TorchFacade.Conformance.Cases.Golden;

namespace TorchFacade.Conformance.Cases.Schedulers;

/// <summary>
/// <c>tests/golden/schedulers.json</c>, written by <c>tests/golden/make_sched_golden.py</c> with PyTorch 2.6: one
/// record per scheduler configuration (its arguments, the lr and momentum of every group after every step, the
/// warnings, a mid-run state dict, the final state dict), or PyTorch's error for bad arguments.
/// </summary>
internal static class SchedulerGoldenFile
{
    /// <summary>The file name under the golden directory.</summary>
    public const string FileName = "schedulers.json";

    private static readonly Lazy<JsonDocument?> Document = new(Load);

    /// <summary>Why the file cannot be read, or <see langword="null"/> when it can.</summary>
    public static string? MissingReason =>
        GoldenFiles.Directory is not { } dir ? GoldenFiles.MissingReason
        : !File.Exists(Path.Combine(dir, FileName)) ? $"skipped: {FileName} not found in {dir}; run /usr/bin/python3 tests/golden/make_sched_golden.py"
        : null;

    /// <summary>The PyTorch version that wrote the file.</summary>
    public static string Torch => Document.Value?.RootElement.GetProperty("torch").GetString() ?? "?";

    /// <summary>Every record, in file order (empty when the file is missing).</summary>
    public static IReadOnlyList<JsonElement> Cases =>
        Document.Value is { } doc ? doc.RootElement.GetProperty("cases").EnumerateArray().ToList() : [];

    /// <summary>The ids of every record (cheap enough to enumerate cases).</summary>
    public static IReadOnlyList<string> Ids => Cases.Select(c => c.GetProperty("id").GetString()!).ToList();

    /// <summary>One record by id.</summary>
    /// <param name="id">The record id.</param>
    /// <returns>The record.</returns>
    public static JsonElement Case(string id) => Cases.First(c => c.GetProperty("id").GetString() == id);

    private static JsonDocument? Load()
    {
        if (MissingReason is not null)
        {
            return null;
        }

        return JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenFiles.Directory!, FileName)));
    }
}
