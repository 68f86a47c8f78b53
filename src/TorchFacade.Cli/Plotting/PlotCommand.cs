using System.CommandLine;

namespace TorchFacade.Cli.Plotting;

/// <summary><c>torchfacade plot</c>: draws the activation and optimizer pictures of the docs.</summary>
internal static class PlotCommand
{
    /// <summary>The default output folder.</summary>
    public const string DefaultOut = "docs/img";

    /// <summary>Builds the command.</summary>
    /// <param name="context">Where to write.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "The folder to draw into; each family goes into a sub-folder named after it.",
            DefaultValueFactory = _ => DefaultOut,
        };
        var only = new Option<string?>("--only")
        {
            Description = "Draw only this family (" + (PlotRegistry.All.Count == 0 ? "none registered" : string.Join(", ", PlotRegistry.All.Select(p => p.Name))) + ").",
        };
        only.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (!PlotRegistry.All.Any(p => string.Equals(p.Name, token.Value, StringComparison.OrdinalIgnoreCase)))
                {
                    r.AddError($"Unknown plot family '{token.Value}'. Known: {(PlotRegistry.All.Count == 0 ? "none" : string.Join(", ", PlotRegistry.All.Select(p => p.Name)))}.");
                }
            }
        });
        var command = new Command("plot", "Draw the pictures of docs/activations.md and docs/optimizers.md (PNG files).") { output, only };
        command.SetAction(parse =>
        {
            if (context.EnsureNativeRuntime() is { } code)
            {
                return code;
            }

            return Draw(PlotRegistry.All, parse.GetValue(output) ?? DefaultOut, parse.GetValue(only), context.Output, context.Error);
        });
        return command;
    }

    /// <summary>Draws <paramref name="entries"/> (or only the one named <paramref name="only"/>) into <paramref name="outRoot"/>.</summary>
    /// <param name="entries">The families.</param>
    /// <param name="outRoot">The output folder.</param>
    /// <param name="only">A family name, or <see langword="null"/> for all.</param>
    /// <param name="output">Progress and the files written.</param>
    /// <param name="error">Failures.</param>
    /// <returns>0 when every family drew, 1 when one failed or none is registered.</returns>
    internal static int Draw(IReadOnlyList<PlotEntry> entries, string outRoot, string? only, TextWriter output, TextWriter error)
    {
        var chosen = entries.Where(e => only is null || string.Equals(e.Name, only, StringComparison.OrdinalIgnoreCase)).ToList();
        if (chosen.Count == 0)
        {
            error.WriteLine("torchfacade plot: no picture family is registered in this build (PlotRegistry.All is empty).");
            return ExitCodes.Failure;
        }

        int failed = 0;
        foreach (PlotEntry entry in chosen)
        {
            string folder = Path.GetFullPath(Path.Combine(outRoot, entry.Name));
            try
            {
                Directory.CreateDirectory(folder);
                var before = Snapshot(folder);
                entry.Render(folder);
                int written = Snapshot(folder).Count(kv => !before.TryGetValue(kv.Key, out DateTime t) || t != kv.Value);
                output.WriteLine($"plot {entry.Name}: {written} file(s) written to {folder} ({entry.Description})");
            }
            catch (Exception ex)
            {
                failed++;
                error.WriteLine($"torchfacade plot: {entry.Name} failed: {ex.GetType().Name}: {Cli.ReportLine(ex.Message)}");
            }
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static Dictionary<string, DateTime> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc, StringComparer.Ordinal);
}
