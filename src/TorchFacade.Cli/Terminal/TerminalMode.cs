namespace TorchFacade.Cli;

/// <summary>Whether the output is a live terminal (progress bar, colours) or a log (plain lines).</summary>
/// <param name="Interactive">A live terminal: show the Spectre progress bar and colours.</param>
/// <param name="Width">The width to lay tables out in when not interactive.</param>
internal sealed record TerminalMode(bool Interactive, int Width = 160)
{
    /// <summary>Plain output for logs, files and tests.</summary>
    public static TerminalMode Plain { get; } = new(false);

    /// <summary>
    /// Interactive when standard output is a terminal and the environment does not say CI (<c>CI=true</c> or
    /// <c>CI=1</c>, as GitHub Actions and most CI systems set) or <c>TERM=dumb</c>.
    /// </summary>
    /// <returns>The mode for this process.</returns>
    public static TerminalMode Detect()
    {
        string? ci = Environment.GetEnvironmentVariable("CI");
        bool isCi = ci is not null && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");
        bool dumb = string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        return new TerminalMode(!Console.IsOutputRedirected && !isCi && !dumb);
    }
}
