namespace TorchFacade.Conformance;

/// <summary>How a conformance case ended.</summary>
public enum CaseOutcome
{
    /// <summary>The claim holds within the stated tolerance.</summary>
    Passed,

    /// <summary>The claim does not hold; <see cref="CaseResult.Message"/> and <see cref="CaseResult.Figures"/> say by how much.</summary>
    Failed,

    /// <summary>The case could not run here (for example no CUDA backend); <see cref="CaseResult.Message"/> says why.</summary>
    Skipped,
}
