using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using TorchFacade.Conformance;

namespace TorchFacade.Cli.Conform;

/// <summary>One invocation of <c>torchfacade conform</c>: select, run with progress, print, write the report files.</summary>
/// <param name="context">Where to write.</param>
/// <param name="selection">The validated selection.</param>
/// <param name="format"><c>table</c>, <c>md</c> or <c>json</c>.</param>
/// <param name="outDirectory">Where to write report.md and report.json, or <see langword="null"/>.</param>
internal sealed class ConformRun(CliContext context, ConformSelection selection, string format, string? outDirectory)
{
    /// <summary>Prints the selected ids and claims.</summary>
    /// <returns>The exit code.</returns>
    public int List()
    {
        if (Select() is not { } cases)
        {
            return SelectionExitCode;
        }

        foreach (ConformanceCase c in cases)
        {
            context.Output.WriteLine($"{c.Id}\t{c.Claim}");
        }

        context.Output.WriteLine($"{cases.Count} cases ({selection.Describe()}).");
        return ExitCodes.Success;
    }

    /// <summary>Runs the selected cases and reports them.</summary>
    /// <returns>0 when nothing failed, 1 on a failure, 2 for an empty selection, 3 without LibTorch.</returns>
    public int Execute()
    {
        if (Select() is not { } cases)
        {
            return SelectionExitCode;
        }

        ConformanceReport report = RunWithProgress(cases);
        switch (format)
        {
            case "md":
                MarkdownReportWriter.Write(report, context.Output);
                break;
            case "json":
                context.Output.WriteLine(JsonReportWriter.ToJson(report));
                break;
            default:
                SummaryRenderer.Render(ConsoleFactory.Create(context.Output, context.Mode), report);
                break;
        }

        TextWriter notes = format == "table" ? context.Output : context.Error;
        if (outDirectory is not null)
        {
            try
            {
                IReadOnlyList<string> files = ReportFiles.Write(report, outDirectory);
                notes.WriteLine("report: " + string.Join(", ", files.Select(RelativeToCurrent)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                context.Error.WriteLine($"torchfacade conform: cannot write the report into '{outDirectory}': {Cli.ReportLine(ex.Message)}");
                return ExitCodes.Failure;
            }
        }

        return report.HasFailures ? ExitCodes.Failure : ExitCodes.Success;
    }

    private int SelectionExitCode { get; set; } = ExitCodes.Usage;

    /// <summary>Loads LibTorch and the catalog and applies the selection; prints why and returns <see langword="null"/> when that fails or selects nothing.</summary>
    private IReadOnlyList<ConformanceCase>? Select()
    {
        if (context.EnsureNativeRuntime() is { } code)
        {
            SelectionExitCode = code;
            return null;
        }

        IReadOnlyList<ConformanceCase> cases;
        try
        {
            cases = selection.Cases();
        }
        catch (InvalidOperationException ex)
        {
            context.Error.WriteLine("torchfacade conform: the catalog is broken: " + Cli.ReportLine(ex.Message));
            SelectionExitCode = ExitCodes.Failure;
            return null;
        }

        if (cases.Count == 0)
        {
            context.Error.WriteLine(
                $"torchfacade conform: no case matches {selection.Describe()} (the catalog has {Catalog.All.Count} cases; "
                + "ids look like 'activation/gelu-tanh/float32/cpu/backward'; 'torchfacade conform --list' lists them).");
            SelectionExitCode = ExitCodes.Usage;
            return null;
        }

        return cases;
    }

    private ConformanceReport RunWithProgress(IReadOnlyList<ConformanceCase> cases)
    {
        if (context.Mode.Interactive && format == "table")
        {
            ConformanceReport? report = null;
            ConsoleFactory.Create(context.Output, context.Mode).Progress()
                .AutoClear(true)
                .HideCompleted(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    ProgressTask task = progress.AddTask("conform", maxValue: cases.Count);
                    int failed = 0;
                    report = SuiteRunner.Run(cases, selection.Describe(), line =>
                    {
                        failed += line.Outcome == CaseOutcome.Failed ? 1 : 0;
                        task.Description = failed == 0
                            ? Markup.Escape(Shorten(line.Id))
                            : $"[red]{failed} failed[/] {Markup.Escape(Shorten(line.Id))}";
                        task.Increment(1);
                    });
                });
            return report!;
        }

        // Plain: a line every 10 % (progress goes to standard error when standard output carries a report).
        TextWriter progressOut = format == "table" ? context.Output : context.Error;
        int done = 0, failures = 0, nextMark = 1;
        var watch = Stopwatch.StartNew();
        progressOut.WriteLine($"conform: running {cases.Count} cases ({selection.Describe()})");
        return SuiteRunner.Run(cases, selection.Describe(), line =>
        {
            done++;
            failures += line.Outcome == CaseOutcome.Failed ? 1 : 0;
            if (line.Outcome == CaseOutcome.Failed)
            {
                progressOut.WriteLine($"  FAILED {line.Id}: {ReportText.FirstLine(line.Message)}");
            }

            if (done * 10 >= nextMark * cases.Count)
            {
                while (done * 10 >= nextMark * cases.Count)
                {
                    nextMark++;
                }

                progressOut.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"conform: {done}/{cases.Count} ({100 * done / cases.Count}%), {failures} failed, {watch.Elapsed.TotalSeconds:0.0} s"));
            }
        });
    }

    private static string Shorten(string id) => id.Length <= 60 ? id : "…" + id[^59..];

    private static string RelativeToCurrent(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
