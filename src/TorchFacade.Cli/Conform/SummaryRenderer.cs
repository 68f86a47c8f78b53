using Spectre.Console;
using TorchFacade.Conformance;

namespace TorchFacade.Cli.Conform;

/// <summary>
/// The <c>table</c> format: one row per group with passed/failed/skipped counts, the skipped cases grouped by reason,
/// and every failure with its figures, tolerance and first failing inputs.
/// </summary>
internal static class SummaryRenderer
{
    private const int ExampleIdsPerReason = 3;
    private const int FailuresShown = 25;

    /// <summary>Renders <paramref name="report"/> on <paramref name="console"/>.</summary>
    /// <param name="console">The console.</param>
    /// <param name="report">The report.</param>
    public static void Render(IAnsiConsole console, ConformanceReport report)
    {
        var table = new Table().Title("conformance: " + Markup.Escape(report.Selection))
            .AddColumn("group")
            .AddColumn(new TableColumn("passed").RightAligned())
            .AddColumn(new TableColumn("failed").RightAligned())
            .AddColumn(new TableColumn("crashed").RightAligned())
            .AddColumn(new TableColumn("xfail").RightAligned())
            .AddColumn(new TableColumn("xpass").RightAligned())
            .AddColumn(new TableColumn("skipped").RightAligned())
            .AddColumn(new TableColumn("total").RightAligned())
            .AddColumn(new TableColumn("time").RightAligned());
        foreach (GroupSummary g in report.Groups)
        {
            table.AddRow(
                g.Name,
                $"[green]{g.Passed}[/]",
                g.Failed > 0 ? $"[red bold]{g.Failed}[/]" : "0",
                g.Crashed > 0 ? $"[red bold]{g.Crashed}[/]" : "0",
                g.ExpectedFailures > 0 ? $"[yellow]{g.ExpectedFailures}[/]" : "0",
                g.UnexpectedPasses > 0 ? $"[red bold]{g.UnexpectedPasses}[/]" : "0",
                g.Skipped > 0 ? $"[yellow]{g.Skipped}[/]" : "0",
                g.Total.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ReportText.Duration(g.Elapsed));
        }

        table.AddEmptyRow();
        table.AddRow("[bold]all[/]", $"[bold]{report.Passed}[/]", $"[bold]{report.Failed}[/]", $"[bold]{report.Crashed}[/]", $"[bold]{report.ExpectedFailures}[/]", $"[bold]{report.UnexpectedPasses}[/]", $"[bold]{report.Skipped}[/]", $"[bold]{report.Total}[/]", $"[bold]{ReportText.Duration(report.Elapsed)}[/]");
        console.Write(table);

        if (report.Cases.Any(c => c.Group == CaseGroup.Properties && c.Outcome != CaseOutcome.Skipped))
        {
            console.MarkupLine(Markup.Escape(ReportText.Properties(report)));
        }

        if (report.SkipReasons.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine($"[yellow]skipped: {report.Skipped}[/]");
            foreach (SkipReasonSummary s in report.SkipReasons)
            {
                console.MarkupLine($"  [yellow]{s.Ids.Count}[/] × {Markup.Escape(s.Reason)}");
                string examples = string.Join(", ", s.Ids.Take(ExampleIdsPerReason));
                string more = s.Ids.Count > ExampleIdsPerReason ? $", … ({s.Ids.Count - ExampleIdsPerReason} more)" : string.Empty;
                console.MarkupLine($"      [grey]{Markup.Escape(examples + more)}[/]");
            }
        }

        var expected = report.ExpectedFailureCases.ToList();
        if (expected.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine($"[yellow]expected failures (known divergences of TorchSharp {Markup.Escape(report.Environment.TorchSharpVersion)} from PyTorch, Divergences/known-divergences.json): {expected.Count}[/]");
            foreach (var byWhat in expected.GroupBy(c => DivergenceName(c.Message)))
            {
                console.MarkupLine($"  [yellow]{byWhat.Count()}[/] × {Markup.Escape(byWhat.Key)}");
            }
        }

        var failures = report.Failures.ToList();
        if (failures.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine($"[red bold]failed: {failures.Count}[/]" + (report.Crashed > 0 ? $" [red bold]({report.Crashed} crashed the worker)[/]" : string.Empty));
            foreach (CaseReport f in failures.Take(FailuresShown))
            {
                console.MarkupLine(f.Outcome switch
                {
                    CaseOutcome.Crashed => $"  [red]✗ {Markup.Escape(f.Id)} (crashed)[/]",
                    CaseOutcome.UnexpectedPass => $"  [red]✗ {Markup.Escape(f.Id)} (XPASS)[/]",
                    _ => $"  [red]✗ {Markup.Escape(f.Id)}[/]",
                });
                console.MarkupLine($"      claim: {Markup.Escape(f.Claim)}");
                console.MarkupLine($"      {Markup.Escape(ReportText.FirstLine(f.Message))}");
                if (f.Figures is not null)
                {
                    console.MarkupLine($"      figures: {Markup.Escape(ReportText.Figures(f.Figures))}");
                }

                if (f.Tolerance is { } t)
                {
                    console.MarkupLine($"      tolerance: {Markup.Escape(ReportText.Tolerance(t))} ({Markup.Escape(t.Reason)})");
                }

                foreach (string input in f.FailingInputs)
                {
                    console.MarkupLine($"      [grey]{Markup.Escape(input)}[/]");
                }
            }

            if (failures.Count > FailuresShown)
            {
                console.MarkupLine($"  … {failures.Count - FailuresShown} more failures (all of them are in report.md with --out).");
            }
        }

        console.WriteLine();
        string verdict = report.HasFailures ? "[red bold]FAILED[/]" : "[green bold]passed[/]";
        console.MarkupLine($"conform: {verdict}: {report.Passed} passed, {report.Failed} failed, {report.Crashed} crashed, {report.ExpectedFailures} xfail, {report.UnexpectedPasses} xpass, {report.Skipped} skipped in {ReportText.Duration(report.Elapsed)}");
    }

    /// <summary>The divergence's name from an xfail message (<c>xfail (known divergence, TorchSharp 0.107.0): NAME. PyTorch: ...</c>).</summary>
    private static string DivergenceName(string? message)
    {
        string text = message ?? string.Empty;
        int colon = text.IndexOf("): ", StringComparison.Ordinal);
        int end = text.IndexOf(". PyTorch: ", StringComparison.Ordinal);
        return colon >= 0 && end > colon ? text[(colon + 3)..end] : ReportText.FirstLine(text);
    }
}
