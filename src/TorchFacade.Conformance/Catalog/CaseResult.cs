namespace TorchFacade.Conformance;

/// <summary>The result of running one <see cref="ConformanceCase"/>.</summary>
public sealed record CaseResult
{
    /// <summary>Passed, failed or skipped.</summary>
    public required CaseOutcome Outcome { get; init; }

    /// <summary>For a failure or skip, what went wrong or why it did not run; for a pass, an optional note.</summary>
    public string? Message { get; init; }

    /// <summary>The measured errors, when the case compared values.</summary>
    public Figures? Figures { get; init; }

    /// <summary>For a failure, the first few failing elements as "index: input → actual vs expected".</summary>
    public IReadOnlyList<string> FailingInputs { get; init; } = [];

    /// <summary>How long the case took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>For a property-based case (the <c>properties</c> group), how many examples it drew; 0 for every other case.</summary>
    public long Examples { get; init; }

    /// <summary>A passing result.</summary>
    /// <param name="figures">The measured errors, if any.</param>
    /// <param name="note">An optional note (for example a pinned TorchSharp divergence).</param>
    /// <returns>The result.</returns>
    public static CaseResult Pass(Figures? figures = null, string? note = null) =>
        new() { Outcome = CaseOutcome.Passed, Figures = figures, Message = note };

    /// <summary>A failing result.</summary>
    /// <param name="message">What did not hold.</param>
    /// <param name="figures">The measured errors, if any.</param>
    /// <param name="failingInputs">The first few failing inputs.</param>
    /// <returns>The result.</returns>
    public static CaseResult Fail(string message, Figures? figures = null, IReadOnlyList<string>? failingInputs = null) =>
        new() { Outcome = CaseOutcome.Failed, Message = message, Figures = figures, FailingInputs = failingInputs ?? [] };

    /// <summary>A skipped result.</summary>
    /// <param name="reason">Why the case could not run here.</param>
    /// <returns>The result.</returns>
    public static CaseResult Skip(string reason) => new() { Outcome = CaseOutcome.Skipped, Message = reason };

    /// <summary>Passes when <paramref name="condition"/> holds, else fails with <paramref name="whyNot"/>.</summary>
    /// <param name="condition">The claim, evaluated.</param>
    /// <param name="whyNot">The failure message (say what was observed).</param>
    /// <returns>The result.</returns>
    public static CaseResult Check(bool condition, string whyNot) => condition ? Pass() : Fail(whyNot);
}
