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
/// <param name="isolated">Run the cases in a worker process (<see cref="IsolatedSuiteRunner"/>) rather than in this one.</param>
internal sealed class ConformRun(CliContext context, ConformSelection selection, string format, string? outDirectory, bool isolated = true)
{
    /// <summary>The worker mode: runs the case ids read from standard input (see <see cref="ConformWorker"/>).</summary>
    /// <returns>The exit code.</returns>
    public int Serve()
    {
        if (context.EnsureNativeRuntime() is { } code)
        {
            return code;
        }

        // The protocol owns the real standard output; anything a case prints goes to standard error instead.
        using var protocol = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        Console.SetOut(Console.Error);
        return ConformWorker.Serve(selection.Universe(), Console.In, protocol);
    }

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
                    report = RunCases(cases, line =>
                    {
                        failed += line.Outcome is CaseOutcome.Failed or CaseOutcome.Crashed or CaseOutcome.UnexpectedPass ? 1 : 0;
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
        return RunCases(cases, line =>
        {
            done++;
            failures += line.Outcome is CaseOutcome.Failed or CaseOutcome.Crashed or CaseOutcome.UnexpectedPass ? 1 : 0;
            if (line.Outcome is CaseOutcome.Failed or CaseOutcome.Crashed or CaseOutcome.UnexpectedPass)
            {
                string mark = line.Outcome switch { CaseOutcome.Crashed => "CRASHED", CaseOutcome.UnexpectedPass => "XPASS", _ => "FAILED" };
                progressOut.WriteLine($"  {mark} {line.Id}: {ReportText.FirstLine(line.Message)}");
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

    private ConformanceReport RunCases(IReadOnlyList<ConformanceCase> cases, Action<CaseReport> onCaseDone)
    {
        if (!isolated)
        {
            return SuiteRunner.Run(cases, selection.Describe(), onCaseDone);
        }

        string[] workerArguments = selection.CasesFrom is { } from ? ["--cases-from", Path.GetFullPath(from)] : [];
        using var runner = new IsolatedSuiteRunner(workerArguments);
        return runner.Run(cases, selection.Describe(), onCaseDone);
    }

    private static string Shorten(string id) => id.Length <= 60 ? id : "…" + id[^59..];

    private static string RelativeToCurrent(string path)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
