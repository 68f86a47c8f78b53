using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using TorchFacade.Cli.Conform;
using TorchFacade.Cli.Plotting;
using TorchFacade.Cli.Tour;

namespace TorchFacade.Cli;

/// <summary>
/// The <c>torchfacade</c> command: <c>conform</c> (the conformance suite), <c>plot</c> (activation and optimizer
/// pictures) and <c>tour</c> (the ported Python snippets). <see cref="Run"/> is the whole program, with its output
/// streams passed in so that tests can drive it.
/// </summary>
internal static class CliApp
{
    /// <summary>Runs the command line <paramref name="args"/>.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="mode">Interactive terminal or plain log; <see langword="null"/> for plain.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>): 0 success, 1 failures, 2 usage errors, 3 LibTorch unavailable.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static int Run(string[] args, TextWriter output, TextWriter error, TerminalMode? mode = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var context = new CliContext(output, error, mode ?? TerminalMode.Plain);
        Command root = CreateRoot(context);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError parseError in parsed.Errors)
            {
                error.WriteLine("torchfacade: " + parseError.Message);
            }

            error.WriteLine();
            WriteUsage(root, parsed.CommandResult, error);
            return ExitCodes.Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The command's name in usage text, whatever the executable is called (<c>TorchFacade.Cli</c> under <c>dotnet run</c>).</summary>
    private const string Name = "torchfacade";

    private static Command CreateRoot(CliContext context)
    {
        // A plain Command (not RootCommand, which takes its name from the executable) with the root's usual options.
        var root = new Command(Name, "PyTorch's semantics for .NET, checked against LibTorch. Run 'torchfacade conform' to run the conformance suite.")
        {
            new HelpOption { Recursive = true },
            new VersionOption(),
            ConformCommand.Create(context),
            PlotCommand.Create(context),
            TourCommand.Create(context),
            Doctor.DoctorCommand.Create(context),
        };
        root.SetAction(parse =>
        {
            context.Error.WriteLine("torchfacade: say which command to run.");
            context.Error.WriteLine();
            WriteUsage(root, parse.CommandResult, context.Error);
            return ExitCodes.Usage;
        });
        return root;
    }

    /// <summary>Writes the help of the command the user was typing (or of the root) to <paramref name="writer"/>.</summary>
    private static void WriteUsage(Command root, CommandResult commandResult, TextWriter writer)
    {
        var path = new List<string>();
        for (SymbolResult? s = commandResult; s is CommandResult c && c.Command != root; s = s.Parent)
        {
            path.Insert(0, c.Command.Name);
        }

        path.Add("--help");
        root.Parse(path).Invoke(new InvocationConfiguration { Output = writer, Error = writer });
    }
}
