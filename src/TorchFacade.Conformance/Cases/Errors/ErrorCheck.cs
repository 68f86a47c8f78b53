using System.Runtime.InteropServices;
using System.Text.Json;
using TorchFacade.Conformance.Cases.Golden;

namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>
/// Runs one <see cref="ErrorCase"/>: the call must raise (a result is a silent wrong answer), with the expected type,
/// never LibTorch's <see cref="ExternalException"/> or TorchSharp's empty-handle error, with a first line that names the
/// member, contains the fragment and leaks no .NET argument internals or C++ backtrace; a <see cref="TorchException"/>
/// must carry the row's PyTorch kind; and where PyTorch 2.6's golden has the row, its kind must be the row's and its
/// first line must contain <see cref="ErrorCase.PyTorchText"/>.
/// </summary>
public static class ErrorCheck
{
    private static readonly Lazy<IReadOnlyDictionary<string, GoldenError>> Golden = new(ReadGolden);

    /// <summary>PyTorch 2.6's outcome for a row: its exception class (<see langword="null"/> when PyTorch accepted the input) and first line.</summary>
    /// <param name="Kind">The Python exception class, or <see langword="null"/> when PyTorch raised nothing.</param>
    /// <param name="Message">The first line.</param>
    public sealed record GoldenError(string? Kind, string? Message);

    /// <summary>Every row of <c>tests/golden/errors.json</c> (empty when the file is absent).</summary>
    public static IReadOnlyDictionary<string, GoldenError> GoldenRows => Golden.Value;

    /// <summary>Runs the row on a device.</summary>
    /// <param name="row">The row.</param>
    /// <param name="device">The device name.</param>
    /// <returns>Pass, or a failure saying what differed.</returns>
    public static CaseResult Run(ErrorCase row, string device)
    {
        ArgumentNullException.ThrowIfNull(row);
        Exception? thrown = null;
        try
        {
            row.Act(torch.device(device));
        }
        catch (Exception ex)
        {
            thrown = ex;
        }

        return Judge(row, thrown);
    }

    /// <summary>Judges what a row's call raised.</summary>
    /// <param name="row">The row.</param>
    /// <param name="thrown">The exception, or <see langword="null"/> when the call returned.</param>
    /// <returns>Pass, or a failure saying what differed.</returns>
    public static CaseResult Judge(ErrorCase row, Exception? thrown)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (thrown is null)
        {
            return CaseResult.Fail($"{row.Member} returned a result where it must raise {row.Expected.Name} (a silent answer to a bad input)");
        }

        string firstLine = thrown.Message.Split('\n')[0];
        var problems = new List<string>();
        if (thrown is ExternalException)
        {
            problems.Add("LibTorch's ExternalException escaped (translate it to TorchException)");
        }

        if (thrown is InvalidOperationException && thrown.Message.StartsWith("Tensor invalid -- empty handle.", StringComparison.Ordinal))
        {
            problems.Add("TorchSharp's empty-handle error escaped (check for disposed tensors first)");
        }

        if (!row.Expected.IsInstanceOfType(thrown))
        {
            problems.Add($"raised {thrown.GetType().Name}, expected {row.Expected.Name}");
        }

        if (!thrown.Message.Contains(row.Fragment, StringComparison.Ordinal))
        {
            problems.Add($"the message does not contain \"{row.Fragment}\"");
        }

        if (row.NamesMember && !firstLine.StartsWith(row.Member, StringComparison.Ordinal))
        {
            problems.Add($"the first line does not start with the member '{row.Member}'");
        }

        if (thrown.Message.Contains("(Parameter '", StringComparison.Ordinal) || thrown.Message.Contains("Exception raised from", StringComparison.Ordinal))
        {
            problems.Add("the message leaks .NET argument internals or LibTorch's backtrace");
        }

        if (thrown is TorchException te && te.PyTorchType != row.Kind)
        {
            problems.Add($"PyTorchType is {te.PyTorchType}, PyTorch raises {row.Kind ?? "nothing comparable"}");
        }

        if (row.PyTorchText is { } text && !thrown.Message.Contains(text, StringComparison.Ordinal))
        {
            problems.Add($"the message does not carry PyTorch's text \"{text}\"");
        }

        if (GoldenRows.TryGetValue(row.Name, out GoldenError? golden))
        {
            if (golden.Kind != row.Kind)
            {
                problems.Add($"PyTorch 2.6 raises {golden.Kind ?? "nothing"} for this input, the row says {row.Kind ?? "no equivalent"}");
            }

            if (row.PyTorchText is { } pyText && golden.Message is { } line && !line.Contains(pyText, StringComparison.Ordinal))
            {
                problems.Add($"PyTorch 2.6 says \"{line}\", which does not contain \"{pyText}\"");
            }
        }

        return problems.Count == 0
            ? CaseResult.Pass(note: $"{thrown.GetType().Name}: {firstLine}")
            : CaseResult.Fail(string.Join("; ", problems) + $" — got {thrown.GetType().Name}: {firstLine}");
    }

    private static IReadOnlyDictionary<string, GoldenError> ReadGolden()
    {
        string? dir = GoldenFiles.Directory;
        string? path = dir is null ? null : Path.Combine(dir, "errors.json");
        if (path is null || !File.Exists(path))
        {
            return new Dictionary<string, GoldenError>();
        }

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        var rows = new Dictionary<string, GoldenError>(StringComparer.Ordinal);
        foreach (JsonProperty p in doc.RootElement.GetProperty("cases").EnumerateObject())
        {
            string? kind = p.Value.TryGetProperty("kind", out JsonElement k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            string? message = p.Value.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            rows[p.Name] = new GoldenError(kind, message);
        }

        return rows;
    }
}
