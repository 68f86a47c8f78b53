namespace TorchFacade.Conformance;

/// <summary>One line of a conformance report: what a case claimed, where it ran, how it ended and by how much.</summary>
/// <param name="Id">The case id.</param>
/// <param name="Group">The catalog group.</param>
/// <param name="Claim">The claim, in words.</param>
/// <param name="Compares">What was compared with what.</param>
/// <param name="Device"><c>cpu</c> or <c>cuda</c>.</param>
/// <param name="DType">The dtype's PyTorch name, or <c>any</c>.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Message">Why it failed or was skipped, or a note on a pass.</param>
/// <param name="Figures">The measured errors, when values were compared.</param>
/// <param name="Tolerance">The tolerance and its reason, when the case has one.</param>
/// <param name="FailingInputs">The first few failing elements.</param>
/// <param name="Elapsed">How long the case took.</param>
/// <param name="Examples">For a property-based case, how many examples it drew (0 for other cases).</param>
public sealed record CaseReport(
    string Id,
    CaseGroup Group,
    string Claim,
    string Compares,
    string Device,
    string DType,
    CaseOutcome Outcome,
    string? Message,
    Figures? Figures,
    Tolerance? Tolerance,
    IReadOnlyList<string> FailingInputs,
    TimeSpan Elapsed,
    long Examples = 0)
{
    /// <summary>The report line for <paramref name="case"/> and its <paramref name="result"/>.</summary>
    /// <param name="case">The case that ran.</param>
    /// <param name="result">Its result.</param>
    /// <returns>The report line.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static CaseReport From(ConformanceCase @case, CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(@case);
        ArgumentNullException.ThrowIfNull(result);
        return new CaseReport(
            @case.Id, @case.Group, @case.Claim, @case.Compares, @case.Device, @case.DTypeName,
            result.Outcome, result.Message, result.Figures, @case.Tolerance, result.FailingInputs, result.Elapsed, result.Examples);
    }
}
