namespace TorchFacade.Cli;

/// <summary>Small text helpers shared by the commands.</summary>
internal static class Cli
{
    /// <summary>The first line of a message (LibTorch errors carry C++ backtraces after it).</summary>
    /// <param name="message">The message.</param>
    /// <returns>Its first line, or a placeholder.</returns>
    public static string ReportLine(string? message) =>
        string.IsNullOrWhiteSpace(message) ? "torchfacade: unknown error" : TorchFacade.Conformance.ReportText.FirstLine(message);
}
