namespace TorchFacade.Testing;

/// <summary>The outcome of <see cref="GradCheck.Run(Func{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, double, double, double)"/>.</summary>
/// <param name="Passed">Whether every Jacobian entry was within atol + rtol·|numerical|.</param>
/// <param name="MaxAbsError">The largest |analytic − numerical| over all entries.</param>
/// <param name="MaxRelError">The largest |analytic − numerical| / |numerical| over entries with a non-zero numerical value.</param>
/// <param name="Entries">How many Jacobian entries were compared.</param>
/// <param name="FirstMismatch">For a failure, the first entry outside the tolerance, in words; otherwise <see langword="null"/>.</param>
public sealed record GradCheckResult(bool Passed, double MaxAbsError, double MaxRelError, long Entries, string? FirstMismatch);
