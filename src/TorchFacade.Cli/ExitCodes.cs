namespace TorchFacade.Cli;

/// <summary>The exit codes of the <c>torchfacade</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Everything ran and nothing failed (skipped cases do not count as failures).</summary>
    public const int Success = 0;

    /// <summary>At least one conformance case, plot or tour snippet failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong (unknown option, device, dtype, group or format; a filter matching nothing).</summary>
    public const int Usage = 2;

    /// <summary>LibTorch's native runtime could not be loaded; the one-line reason was printed.</summary>
    public const int NativeRuntimeUnavailable = 3;
}
