using System.Globalization;
using System.Text;

namespace TorchFacade.Conformance;

/// <summary>
/// Writes a <see cref="ConformanceReport"/> as Markdown (<c>report.md</c>): the environment, a summary table per group,
/// every failure with its figures, tolerance and failing inputs, the skipped cases grouped by reason, and one table of
/// all cases per group.
/// </summary>
public static class MarkdownReportWriter
{
    /// <summary>The report as Markdown text.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The Markdown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string ToMarkdown(ConformanceReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, writer);
        return writer.ToString();
    }

    /// <summary>Writes the report as Markdown.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">Where to write.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(ConformanceReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        RunEnvironment env = report.Environment;
        writer.WriteLine("# TorchFacade conformance report");
        writer.WriteLine();
        writer.WriteLine($"- **Result:** {Verdict(report)}");
        writer.WriteLine($"- **Selection:** {Cell(report.Selection)}");
        if (report.Cases.Any(c => c.Group == CaseGroup.Properties && c.Outcome != CaseOutcome.Skipped))
        {
            writer.WriteLine($"- **Properties:** {Cell(ReportText.Properties(report))}");
        }

        writer.WriteLine($"- **Run:** {report.Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC, {ReportText.Duration(report.Elapsed)}");
        writer.WriteLine($"- **Versions:** TorchFacade {env.TorchFacadeVersion}, TorchSharp {env.TorchSharpVersion}, LibTorch {env.LibTorchVersion}, {env.Runtime}");
        writer.WriteLine($"- **Machine:** {env.OperatingSystem}, {env.ProcessorCount.ToString(CultureInfo.InvariantCulture)} logical processors");
        writer.WriteLine($"- **CUDA:** {(env.CudaAvailable ? "available" : Cell(env.CudaUnavailableReason ?? "unavailable"))}");
        writer.WriteLine();

        writer.WriteLine("## Summary");
        writer.WriteLine();
        writer.WriteLine("| group | passed | failed | crashed | xfail | xpass | skipped | total | time |");
        writer.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (GroupSummary g in report.Groups)
        {
            writer.WriteLine($"| {g.Name} | {g.Passed} | {g.Failed} | {g.Crashed} | {g.ExpectedFailures} | {g.UnexpectedPasses} | {g.Skipped} | {g.Total} | {ReportText.Duration(g.Elapsed)} |");
        }

        writer.WriteLine($"| **all** | **{report.Passed}** | **{report.Failed}** | **{report.Crashed}** | **{report.ExpectedFailures}** | **{report.UnexpectedPasses}** | **{report.Skipped}** | **{report.Total}** | **{ReportText.Duration(report.Elapsed)}** |");
        writer.WriteLine();

        WriteFailures(report, writer);
        WriteSkipped(report, writer);
        WriteAllCases(report, writer);
    }

    private static string Verdict(ConformanceReport report) => report.HasFailures
        ? $"**FAILED** — {report.Failed} of {report.Total} cases failed" + (report.Crashed > 0 ? $", {report.Crashed} crashed" : string.Empty)
          + (report.UnexpectedPasses > 0 ? $", {report.UnexpectedPasses} known divergences passed (XPASS)" : string.Empty)
        : $"passed — {report.Passed} passed, {report.ExpectedFailures} expected failures (known divergences), {report.Skipped} skipped, 0 failed";

    private static void WriteFailures(ConformanceReport report, TextWriter writer)
    {
        var failures = report.Failures.ToList();
        writer.WriteLine($"## Failures ({failures.Count})");
        writer.WriteLine();
        if (failures.Count == 0)
        {
            writer.WriteLine("None.");
            writer.WriteLine();
            return;
        }

        foreach (CaseReport f in failures)
        {
            writer.WriteLine($"### `{f.Id}`");
            writer.WriteLine();
            writer.WriteLine($"- **Claim:** {Cell(f.Claim)}");
            writer.WriteLine($"- **Compares:** {Cell(f.Compares)}");
            writer.WriteLine($"- **Device / dtype:** {f.Device} / {f.DType}");
            writer.WriteLine($"- **Tolerance:** {ToleranceWithReason(f.Tolerance)}");
            writer.WriteLine($"- **Figures:** {ReportText.Figures(f.Figures)}");
            writer.WriteLine($"- **Message:** {Cell(f.Message ?? string.Empty)}");
            if (f.FailingInputs.Count > 0)
            {
                writer.WriteLine();
                writer.WriteLine("```text");
                foreach (string input in f.FailingInputs)
                {
                    writer.WriteLine(input);
                }

                writer.WriteLine("```");
            }

            writer.WriteLine();
        }
    }

    private static void WriteSkipped(ConformanceReport report, TextWriter writer)
    {
        writer.WriteLine($"## Skipped ({report.Skipped})");
        writer.WriteLine();
        if (report.SkipReasons.Count == 0)
        {
            writer.WriteLine("None.");
            writer.WriteLine();
            return;
        }

        writer.WriteLine("| reason | cases |");
        writer.WriteLine("|---|---:|");
        foreach (SkipReasonSummary s in report.SkipReasons)
        {
            writer.WriteLine($"| {Cell(s.Reason)} | {s.Ids.Count} |");
        }

        writer.WriteLine();
        foreach (SkipReasonSummary s in report.SkipReasons)
        {
            writer.WriteLine($"<details><summary>{s.Ids.Count} cases — {Html(ReportText.FirstLine(s.Reason))}</summary>");
            writer.WriteLine();
            foreach (string id in s.Ids)
            {
                writer.WriteLine($"- `{id}`");
            }

            writer.WriteLine();
            writer.WriteLine("</details>");
            writer.WriteLine();
        }
    }

    private static void WriteAllCases(ConformanceReport report, TextWriter writer)
    {
        writer.WriteLine("## All cases");
        foreach (GroupSummary g in report.Groups)
        {
            writer.WriteLine();
            writer.WriteLine($"### {g.Name} ({g.Passed} passed, {g.Failed} failed, {g.Skipped} skipped)");
            writer.WriteLine();
            writer.WriteLine("| id | outcome | max abs | max rel | max ulp | tolerance | note |");
            writer.WriteLine("|---|---|---:|---:|---:|---|---|");
            foreach (CaseReport c in report.Cases.Where(c => c.Group == g.Group))
            {
                string abs = c.Figures is { } f ? ReportText.Error(f.MaxAbsError) : "–";
                string rel = c.Figures is { } r ? ReportText.Error(r.MaxRelError) : "–";
                string ulp = ReportText.Ulp(c.Figures?.MaxUlp);
                string note = c.Outcome == CaseOutcome.Skipped ? "skipped (see above)" : Cell(ReportText.FirstLine(c.Message));
                writer.WriteLine($"| `{c.Id}` | {OutcomeMark(c.Outcome)} | {abs} | {rel} | {ulp} | {Cell(ToleranceWithReason(c.Tolerance))} | {note} |");
            }
        }
    }

    private static string OutcomeMark(CaseOutcome outcome) => outcome switch
    {
        CaseOutcome.Passed => "passed",
        CaseOutcome.Failed => "**FAILED**",
        CaseOutcome.Crashed => "**CRASHED**",
        CaseOutcome.ExpectedFailure => "xfail",
        CaseOutcome.UnexpectedPass => "**XPASS**",
        _ => "skipped",
    };

    private static string ToleranceWithReason(Tolerance? tolerance) =>
        tolerance is null ? "–" : $"{ReportText.Tolerance(tolerance)} ({tolerance.Reason})";

    /// <summary>Makes text safe inside a Markdown table cell: one line, pipes escaped.</summary>
    private static string Cell(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char ch in text)
        {
            switch (ch)
            {
                case '|': sb.Append("\\|"); break;
                case '\r': break;
                case '\n': sb.Append(' '); break;
                default: sb.Append(ch); break;
            }
        }

        return sb.ToString();
    }

    private static string Html(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
