using System.CommandLine;

namespace TorchFacade.Cli.Tour;

/// <summary><c>torchfacade tour</c>: runs the ported Python snippets one after the other.</summary>
internal static class TourCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="context">Where to write.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var names = new Argument<string[]>("snippet")
        {
            Description = "Run only these snippets (names as listed by --list); default: all.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var list = new Option<bool>("--list") { Description = "List the snippets and the Python files they port." };
        var python = new Option<bool>("--python") { Description = "Print each snippet's Python source before its C# output." };
        var command = new Command("tour", "Run the C# ports of the seed notes' Python snippets; each prints what its Python original prints.")
        {
            names, list, python,
        };
        command.SetAction(parse =>
        {
            if (context.EnsureNativeRuntime() is { } code)
            {
                return code;
            }

            return Tour(TourRegistry.All, parse.GetValue(names) ?? [], parse.GetValue(list), parse.GetValue(python), context.Output, context.Error);
        });
        return command;
    }

    /// <summary>Lists or runs <paramref name="snippets"/>.</summary>
    /// <param name="snippets">The registered snippets.</param>
    /// <param name="only">Names to run; empty for all.</param>
    /// <param name="listOnly">Only list them.</param>
    /// <param name="showPython">Print each Python source first.</param>
    /// <param name="output">Snippet output.</param>
    /// <param name="error">Failures and usage errors.</param>
    /// <returns>0 when every snippet ran and printed what its Python original prints, 1 when one threw or differed or none is registered, 2 for an unknown name.</returns>
    internal static int Tour(IReadOnlyList<ITourSnippet> snippets, IReadOnlyList<string> only, bool listOnly, bool showPython, TextWriter output, TextWriter error)
    {
        if (snippets.Count == 0)
        {
            error.WriteLine("torchfacade tour: no snippet is registered in this build (TourRegistry.All is empty).");
            return ExitCodes.Failure;
        }

        var unknown = only.Where(n => !snippets.Any(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            error.WriteLine($"torchfacade tour: unknown snippet(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}. Known: {string.Join(", ", snippets.Select(s => s.Name))}.");
            return ExitCodes.Usage;
        }

        var chosen = snippets.Where(s => only.Count == 0 || only.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (listOnly)
        {
            foreach (ITourSnippet s in chosen)
            {
                output.WriteLine($"{s.Name}\t{s.PythonSource}");
            }

            return ExitCodes.Success;
        }

        int failed = 0;
        foreach (ITourSnippet s in chosen)
        {
            output.WriteLine($"== {s.Name} (port of {s.PythonSource})");
            if (showPython)
            {
                output.WriteLine(s.ReadPythonSource() is { } source
                    ? "-- python:" + Environment.NewLine + source.TrimEnd() + Environment.NewLine + "-- c#:"
                    : $"-- python source {s.PythonSource} not found next to this build");
            }

            var captured = new StringWriter();
            try
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                s.Run(captured);
            }
            catch (Exception ex)
            {
                failed++;
                error.WriteLine($"torchfacade tour: {s.Name} failed: {ex.GetType().Name}: {Cli.ReportLine(ex.Message)}");
            }

            output.Write(captured.ToString());
            if (s.ExpectedOutput is { } expected)
            {
                if (Normalize(expected) == Normalize(captured.ToString()))
                {
                    output.WriteLine("-- same output as the Python original");
                }
                else
                {
                    failed++;
                    error.WriteLine($"torchfacade tour: {s.Name} printed something else than the Python original ({s.PythonSource}); expected:");
                    error.WriteLine(expected.TrimEnd());
                }
            }

            output.WriteLine();
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Line endings and trailing white space do not count.</summary>
    private static string Normalize(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).TrimEnd();
}
