namespace TorchFacade.Conformance;

/// <summary>The skipped cases that share one reason.</summary>
/// <param name="Reason">Why they could not run (for example "skipped: no CUDA backend: ...").</param>
/// <param name="Ids">The ids of the cases skipped for that reason.</param>
public sealed record SkipReasonSummary(string Reason, IReadOnlyList<string> Ids);
