namespace TorchFacade.Conformance;

/// <summary>The counts of one catalog group in a report.</summary>
/// <param name="Group">The group.</param>
/// <param name="Passed">Cases that passed.</param>
/// <param name="Failed">Cases that failed.</param>
/// <param name="Skipped">Cases that could not run here.</param>
/// <param name="Elapsed">The time the group's cases took together.</param>
/// <param name="Crashed">Cases that killed the worker process running them.</param>
/// <param name="ExpectedFailures">Known divergences that failed as recorded (xfail).</param>
/// <param name="UnexpectedPasses">Known divergences that passed (XPASS: the manifest is out of date).</param>
public sealed record GroupSummary(CaseGroup Group, int Passed, int Failed, int Skipped, TimeSpan Elapsed, int Crashed = 0, int ExpectedFailures = 0, int UnexpectedPasses = 0)
{
    /// <summary>All cases of the group in the report.</summary>
    public int Total => Passed + Failed + Skipped + Crashed + ExpectedFailures + UnexpectedPasses;

    /// <summary>The group's lower-case name (<c>semantics</c>, ...).</summary>
    public string Name => CaseGroupNames.Of(Group);
}
