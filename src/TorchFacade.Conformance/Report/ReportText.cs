using System.Globalization;

namespace TorchFacade.Conformance;

/// <summary>How reports spell figures, tolerances, outcomes and durations (culture-invariant, short).</summary>
public static class ReportText
{
    /// <summary>An error figure with three significant digits (<c>1.19e-07</c>, <c>0</c>, <c>inf</c>, <c>NaN</c>).</summary>
    /// <param name="value">The figure.</param>
    /// <returns>The text.</returns>
    public static string Error(double value) => double.IsFinite(value)
        ? value.ToString("G3", CultureInfo.InvariantCulture).Replace('E', 'e')
        : double.IsNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";

    /// <summary>A ULP distance (whole numbers as such, huge ones in exponent form).</summary>
    /// <param name="value">The distance, or <see langword="null"/> for non-floating comparisons.</param>
    /// <returns>The text, or <c>–</c>.</returns>
    public static string Ulp(double? value) => value switch
    {
        null => "–",
        { } v when double.IsFinite(v) && v < 1e6 => v.ToString("0.#", CultureInfo.InvariantCulture),
        { } v => Error(v),
    };

    /// <summary>A tolerance as <c>rtol 1.3e-06, atol 1e-05</c> or <c>exact</c>.</summary>
    /// <param name="tolerance">The tolerance, or <see langword="null"/>.</param>
    /// <returns>The text, or <c>–</c>.</returns>
    public static string Tolerance(Tolerance? tolerance) => tolerance switch
    {
        null => "–",
        { Rtol: 0, Atol: 0 } => "exact",
        _ => $"rtol {Error(tolerance.Rtol)}, atol {Error(tolerance.Atol)}",
    };

    /// <summary>The outcome as a lower-case word (<c>passed</c>, <c>failed</c>, <c>skipped</c>).</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The word.</returns>
    public static string Outcome(CaseOutcome outcome) => outcome switch
    {
        CaseOutcome.ExpectedFailure => "xfail",
        CaseOutcome.UnexpectedPass => "xpass",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    /// <summary>A duration in seconds (<c>1.23 s</c>) or milliseconds (<c>12 ms</c>).</summary>
    /// <param name="elapsed">The duration.</param>
    /// <returns>The text.</returns>
    public static string Duration(TimeSpan elapsed) => elapsed.TotalSeconds >= 1
        ? elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>The figures as one phrase, or <c>–</c>.</summary>
    /// <param name="figures">The figures, or <see langword="null"/>.</param>
    /// <returns>For example <c>max abs 1.19e-07, max rel 2.4e-08, max ulp 1 over 1000 elements</c>.</returns>
    public static string Figures(Figures? figures) => figures is null
        ? "–"
        : $"max abs {Error(figures.MaxAbsError)}, max rel {Error(figures.MaxRelError)}"
          + (figures.MaxUlp is { } u ? $", max ulp {Ulp(u)}" : string.Empty)
          + $" over {figures.Elements.ToString(CultureInfo.InvariantCulture)} elements";

    /// <summary>The properties group's line: how many examples its cases drew, under which seed.</summary>
    /// <param name="report">The report.</param>
    /// <returns>For example <c>properties: 1240 examples over 31 properties (seed 20261203, 40 per property; ...)</c>.</returns>
    public static string Properties(ConformanceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        int ran = report.Cases.Count(c => c.Group == CaseGroup.Properties && c.Outcome != CaseOutcome.Skipped);
        return $"properties: {report.Examples.ToString(CultureInfo.InvariantCulture)} examples over {ran.ToString(CultureInfo.InvariantCulture)} properties "
               + $"(seed {PropertyOptions.Seed.ToString(CultureInfo.InvariantCulture)}, up to {PropertyOptions.Examples.ToString(CultureInfo.InvariantCulture)} per property; "
               + $"--seed/--examples or {PropertyOptions.SeedVariable}/{PropertyOptions.ExamplesVariable} change them)";
    }

    /// <summary>The first line of a message, without trailing white space.</summary>
    /// <param name="message">The message, or <see langword="null"/>.</param>
    /// <returns>The first line, or an empty string.</returns>
    public static string FirstLine(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).TrimEnd();
    }
}
