using System.Collections.Concurrent;
using System.Text.Json;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// The JSON golden files of the random-input sweeps (<c>tests/golden/*.json</c> written by <c>make_*_golden.py</c>), each read
/// once on first use; and the two things every sweep case does with one: skip when it is absent, and turn the list of
/// differences from PyTorch into the case's result.
/// </summary>
internal static class GoldenJson
{
    private static readonly ConcurrentDictionary<string, Lazy<JsonDocument?>> Documents = new(StringComparer.Ordinal);

    /// <summary>The root of <c>tests/golden/<paramref name="fileName"/></c>, or <see langword="null"/> when there is no such file.</summary>
    /// <param name="fileName">The file name inside the golden directory.</param>
    /// <returns>The root element, or <see langword="null"/>.</returns>
    public static JsonElement? Root(string fileName) =>
        Documents.GetOrAdd(fileName, f => new Lazy<JsonDocument?>(() => Read(f))).Value?.RootElement;

    /// <summary>The skip reason of a case that needs <paramref name="fileName"/> (for <see cref="ConformanceCase.SkipWhen"/>), or <see langword="null"/> when it is there.</summary>
    /// <param name="fileName">The file name inside the golden directory.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static string? MissingReason(string fileName) =>
        Root(fileName) is null ? $"skipped: tests/golden/{fileName} not found ({GoldenFiles.MissingReason})" : null;

    /// <summary>
    /// Checks every entry of the <c>rows</c> array of <paramref name="fileName"/>, each in its own dispose scope, and gives
    /// the <see cref="Verdict"/>.
    /// </summary>
    /// <param name="fileName">The file name inside the golden directory (present: the cases skip otherwise).</param>
    /// <param name="what">What a row is, plural.</param>
    /// <param name="mismatch">How the facade's answer for a row differs from PyTorch's, or <see langword="null"/> when it agrees.</param>
    /// <returns>The result.</returns>
    public static CaseResult Sweep(string fileName, string what, Func<JsonElement, string?> mismatch)
    {
        var failures = new List<string>();
        int count = 0;
        foreach (JsonElement row in Root(fileName)!.Value.GetProperty("rows").EnumerateArray())
        {
            count++;
            using var scope = torch.NewDisposeScope();
            if (mismatch(row) is { } why)
            {
                failures.Add(why);
            }
        }

        return Verdict(failures, count, what);
    }

    /// <summary>Pass when <paramref name="failures"/> is empty, else fail listing them.</summary>
    /// <param name="failures">One line per input answered unlike PyTorch.</param>
    /// <param name="count">How many inputs were checked.</param>
    /// <param name="what">What an input is, plural (<c>configurations</c>, <c>loads</c>, ...).</param>
    /// <returns>The result.</returns>
    public static CaseResult Verdict(IReadOnlyList<string> failures, int count, string what) =>
        failures.Count == 0
            ? CaseResult.Pass(note: $"{count} {what}, each as PyTorch {Torch}")
            : CaseResult.Fail($"{failures.Count} of {count} {what} answered unlike PyTorch 2.6", failingInputs: [.. failures]);

    /// <summary>A dtype by PyTorch's name as a golden file writes it (<c>float32</c>, <c>int64</c>, <c>bool</c>, ...).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The dtype.</returns>
    /// <exception cref="FormatException">The file names a dtype the suite does not know.</exception>
    public static torch.ScalarType DType(string name) =>
        DTypeNames.TryParse(name, out torch.ScalarType dtype) ? dtype : throw new FormatException($"GoldenJson.DType: '{name}' is not a dtype name the suite knows ({string.Join(", ", DTypeNames.Known)}).");

    /// <summary>The PyTorch version that wrote the golden files (from <c>semantics.json</c>).</summary>
    private static string Torch => SemanticGolden.Torch;

    private static JsonDocument? Read(string fileName) =>
        GoldenFiles.Directory is { } dir && File.Exists(Path.Combine(dir, fileName)) ? JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, fileName))) : null;
}
