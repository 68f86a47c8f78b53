namespace TorchFacade.Conformance;

/// <summary>
/// The outcome of one conformance run: every case's line, the counts per group, and where it ran. Written as
/// <c>report.md</c> by <see cref="MarkdownReportWriter"/> and <c>report.json</c> by <see cref="JsonReportWriter"/>.
/// </summary>
public sealed class ConformanceReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="cases">The case lines, in the order they ran.</param>
    /// <param name="environment">Where the run happened.</param>
    /// <param name="selection">Which cases were selected, in words (for example <c>filter 'gelu', device cpu</c>).</param>
    /// <param name="started">When the run started.</param>
    /// <param name="elapsed">How long it took.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ConformanceReport(IReadOnlyList<CaseReport> cases, RunEnvironment environment, string selection, DateTimeOffset started, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(selection);
        Cases = cases;
        Environment = environment;
        Selection = selection;
        Started = started;
        Elapsed = elapsed;
        Groups = cases.GroupBy(c => c.Group)
            .OrderBy(g => g.Key)
            .Select(g => new GroupSummary(
                g.Key,
                g.Count(c => c.Outcome == CaseOutcome.Passed),
                g.Count(c => c.Outcome == CaseOutcome.Failed),
                g.Count(c => c.Outcome == CaseOutcome.Skipped),
                TimeSpan.FromTicks(g.Sum(c => c.Elapsed.Ticks)),
                g.Count(c => c.Outcome == CaseOutcome.Crashed),
                g.Count(c => c.Outcome == CaseOutcome.ExpectedFailure),
                g.Count(c => c.Outcome == CaseOutcome.UnexpectedPass)))
            .ToArray();
        SkipReasons = cases.Where(c => c.Outcome == CaseOutcome.Skipped)
            .GroupBy(c => c.Message ?? "no reason given", StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SkipReasonSummary(g.Key, g.Select(c => c.Id).ToArray()))
            .ToArray();
    }

    /// <summary>Every case line, in the order the cases ran (id order for <see cref="SuiteRunner"/>).</summary>
    public IReadOnlyList<CaseReport> Cases { get; }

    /// <summary>The counts per group, for the groups present, in <see cref="CaseGroup"/> order.</summary>
    public IReadOnlyList<GroupSummary> Groups { get; }

    /// <summary>The skipped cases grouped by their reason, most frequent reason first.</summary>
    public IReadOnlyList<SkipReasonSummary> SkipReasons { get; }

    /// <summary>The failed and crashed cases and the unexpected passes (XPASS), in run order.</summary>
    public IEnumerable<CaseReport> Failures => Cases.Where(c => c.Outcome is CaseOutcome.Failed or CaseOutcome.Crashed or CaseOutcome.UnexpectedPass);

    /// <summary>The known divergences that failed as recorded (xfail), in run order.</summary>
    public IEnumerable<CaseReport> ExpectedFailureCases => Cases.Where(c => c.Outcome == CaseOutcome.ExpectedFailure);

    /// <summary>Where the run happened.</summary>
    public RunEnvironment Environment { get; }

    /// <summary>Which cases were selected, in words.</summary>
    public string Selection { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>How long the run took, overhead included.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Cases that passed.</summary>
    public int Passed => Groups.Sum(g => g.Passed);

    /// <summary>Cases that failed.</summary>
    public int Failed => Groups.Sum(g => g.Failed);

    /// <summary>Cases that were skipped.</summary>
    public int Skipped => Groups.Sum(g => g.Skipped);

    /// <summary>Cases that killed the worker process running them (see <see cref="CaseOutcome.Crashed"/>).</summary>
    public int Crashed => Groups.Sum(g => g.Crashed);

    /// <summary>The examples the property-based cases (the <c>properties</c> group) drew together.</summary>
    public long Examples => Cases.Sum(c => c.Examples);

    /// <summary>Known divergences that failed as recorded (xfail; not failures of the run).</summary>
    public int ExpectedFailures => Groups.Sum(g => g.ExpectedFailures);

    /// <summary>Known divergences that passed (XPASS; failures of the run: the manifest is out of date).</summary>
    public int UnexpectedPasses => Groups.Sum(g => g.UnexpectedPasses);

    /// <summary>All cases in the report.</summary>
    public int Total => Cases.Count;

    /// <summary>Whether any case failed or crashed (the CLI then exits with 1).</summary>
    public bool HasFailures => Failed > 0 || Crashed > 0 || UnexpectedPasses > 0;
}
