namespace TorchFacade.Cli;

/// <summary>Where a command writes and how: standard output, standard error and the terminal mode.</summary>
/// <param name="Output">Results (tables, reports, snippet output).</param>
/// <param name="Error">Errors, usage and, for machine-readable formats, progress.</param>
/// <param name="Mode">Interactive terminal or plain log.</param>
internal sealed record CliContext(TextWriter Output, TextWriter Error, TerminalMode Mode)
{
    /// <summary>
    /// Loads LibTorch; on failure prints its one-line reason to <see cref="Error"/>.
    /// </summary>
    /// <returns><see langword="null"/> when LibTorch loaded, else <see cref="ExitCodes.NativeRuntimeUnavailable"/>.</returns>
    public int? EnsureNativeRuntime()
    {
        if (NativeRuntime.IsAvailable)
        {
            return null;
        }

        Error.WriteLine(Cli.ReportLine(NativeRuntime.FailureReason));
        return ExitCodes.NativeRuntimeUnavailable;
    }
}
