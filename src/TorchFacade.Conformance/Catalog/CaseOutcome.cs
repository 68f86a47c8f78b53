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

    /// <summary>
    /// The case killed the process that ran it (a native abort or signal): only the crash-proof runner
    /// (<c>torchfacade conform</c>, which runs cases in a worker process) can report it. <see cref="CaseResult.Message"/>
    /// has the exit code or signal and the native message's first line. Counts as a failure.
    /// </summary>
    Crashed,

    /// <summary>
    /// xfail: the case failed, and the known-divergences manifest lists it for the TorchSharp version in use (a known
    /// divergence of TorchSharp from PyTorch). Not a failure of the run; <see cref="CaseResult.Message"/> names the divergence.
    /// </summary>
    ExpectedFailure,

    /// <summary>
    /// XPASS: the case passed although the known-divergences manifest lists it for the TorchSharp version in use — the
    /// divergence is fixed (for example by a TorchSharp upgrade) and the manifest is out of date. Counts as a failure.
    /// </summary>
    UnexpectedPass,
}
