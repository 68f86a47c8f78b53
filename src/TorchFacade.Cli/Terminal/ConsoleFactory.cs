using Spectre.Console;

namespace TorchFacade.Cli;

/// <summary>Makes Spectre consoles over a <see cref="TextWriter"/>: coloured and live on a terminal, plain elsewhere.</summary>
internal static class ConsoleFactory
{
    /// <summary>A console that writes to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="mode">Interactive or plain.</param>
    /// <returns>The console.</returns>
    public static IAnsiConsole Create(TextWriter writer, TerminalMode mode)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = mode.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = mode.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = mode.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!mode.Interactive)
        {
            console.Profile.Width = mode.Width;
        }

        return console;
    }
}
