using System.Globalization;

namespace TorchFacade.Fuzz;

/// <summary>
/// One mutant's result: its index, outcome, the exception type (other than the reader's own) and message, its size,
/// the managed bytes its load allocated and the bytes of the tensor storages it produced. <see cref="ToLine"/> and
/// <see cref="Parse"/> carry it from a child process to the parent, one line each.
/// </summary>
internal readonly record struct MutantResult(int Index, FuzzOutcome Outcome, long InputBytes, long ManagedBytes, long TensorBytes, string? ExceptionType = null, string? Message = null)
{
    private const string Prefix = "MUTANT\t";

    /// <summary>The line a child process prints.</summary>
    public string ToLine() => string.Join('\t', Prefix.TrimEnd('\t'), Index.ToString(CultureInfo.InvariantCulture), Outcome, InputBytes.ToString(CultureInfo.InvariantCulture),
        ManagedBytes.ToString(CultureInfo.InvariantCulture), TensorBytes.ToString(CultureInfo.InvariantCulture), ExceptionType ?? "", Clean(Message));

    /// <summary>The result a line holds, or null for any other line.</summary>
    public static MutantResult? Parse(string? line)
    {
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        string[] p = line.Split('\t');
        if (p.Length < 8)
        {
            return null;
        }

        return new MutantResult(
            int.Parse(p[1], CultureInfo.InvariantCulture), Enum.Parse<FuzzOutcome>(p[2]), long.Parse(p[3], CultureInfo.InvariantCulture),
            long.Parse(p[4], CultureInfo.InvariantCulture), long.Parse(p[5], CultureInfo.InvariantCulture), p[6].Length == 0 ? null : p[6], p[7].Length == 0 ? null : p[7]);
    }

    private static string Clean(string? message) =>
        message is null ? "" : new string([.. message.Take(300).Select(c => c is '\t' or '\n' or '\r' ? ' ' : c)]);
}
