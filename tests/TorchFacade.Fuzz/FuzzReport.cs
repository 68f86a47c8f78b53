using System.Globalization;
using System.Text;

namespace TorchFacade.Fuzz;

/// <summary>
/// The figures of one reader's campaign: mutants run, loaded, refused with the reader's typed exception, other
/// exceptions by type, crashes (by mutant index), and the largest allocations: managed bytes allocated by one load and
/// tensor-storage bytes one load produced, each absolute and per byte of its input file.
/// </summary>
internal sealed class FuzzReport(string target)
{
    public string Target { get; } = target;

    public int Cases { get; private set; }

    public int Loaded { get; private set; }

    public int Rejected { get; private set; }

    public List<int> Crashes { get; } = [];

    public SortedDictionary<string, int> OtherExceptions { get; } = new(StringComparer.Ordinal);

    /// <summary>The first few failures (other exceptions and crashes) with their mutant index, to reproduce them.</summary>
    public List<string> Failures { get; } = [];

    public long MaxManagedBytes { get; private set; }

    /// <summary>The size of the input whose load allocated <see cref="MaxManagedBytes"/>.</summary>
    public long MaxManagedInputBytes { get; private set; }

    public double MaxManagedPerByte { get; private set; }

    public long MaxTensorBytes { get; private set; }

    public double MaxTensorPerByte { get; private set; }

    public long MaxInputBytes { get; private set; }

    public double Seconds { get; set; }

    public int Bugs => Crashes.Count + OtherExceptions.Values.Sum();

    public void Add(MutantResult r)
    {
        Cases++;
        MaxInputBytes = Math.Max(MaxInputBytes, r.InputBytes);
        double input = Math.Max(1, r.InputBytes);
        if (r.ManagedBytes > MaxManagedBytes)
        {
            MaxManagedBytes = r.ManagedBytes;
            MaxManagedInputBytes = r.InputBytes;
        }
        MaxManagedPerByte = Math.Max(MaxManagedPerByte, r.ManagedBytes / input);
        MaxTensorBytes = Math.Max(MaxTensorBytes, r.TensorBytes);
        MaxTensorPerByte = Math.Max(MaxTensorPerByte, r.TensorBytes / input);
        switch (r.Outcome)
        {
            case FuzzOutcome.Loaded:
                Loaded++;
                break;
            case FuzzOutcome.Rejected:
                Rejected++;
                break;
            case FuzzOutcome.Crashed:
                Crashes.Add(r.Index);
                Note($"mutant {r.Index} crashed the process: {r.Message}");
                break;
            default:
                string type = r.ExceptionType ?? "?";
                OtherExceptions[type] = OtherExceptions.GetValueOrDefault(type) + 1;
                Note($"mutant {r.Index} raised {type}: {r.Message}");
                break;
        }
    }

    /// <summary>One row of the Markdown table <see cref="Table"/> writes.</summary>
    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Target} | {Cases:N0} | {Loaded:N0} | {Rejected:N0} | {Crashes.Count} | {(OtherExceptions.Count == 0 ? "0" : string.Join(", ", OtherExceptions.Select(p => $"{p.Key} × {p.Value}")))} | {MaxManagedBytes:N0} B for a {MaxManagedInputBytes:N0}-byte file | {MaxManagedPerByte:F0} | {MaxTensorPerByte:F2} | {MaxInputBytes:N0} | {Seconds:F0} s |");

    /// <summary>The Markdown table of several campaigns.</summary>
    public static string Table(IEnumerable<FuzzReport> reports)
    {
        var text = new StringBuilder();
        text.AppendLine("| reader | mutants | loaded | refused (typed) | crashes | other exceptions | largest managed allocation of one load | largest managed bytes per input byte | largest tensor bytes per input byte | largest input | time |");
        text.AppendLine("|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|");
        foreach (FuzzReport r in reports)
        {
            text.AppendLine(r.Row());
        }

        return text.ToString();
    }

    private void Note(string failure)
    {
        if (Failures.Count < 10)
        {
            Failures.Add(failure);
        }
    }
}
