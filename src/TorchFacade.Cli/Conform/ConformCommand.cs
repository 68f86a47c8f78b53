using System.CommandLine;
using System.CommandLine.Parsing;
using TorchFacade.Conformance;

namespace TorchFacade.Cli.Conform;

/// <summary><c>torchfacade conform</c>: runs the conformance catalog and reports per case and per group.</summary>
internal static class ConformCommand
{
    /// <summary>The report formats <c>--format</c> accepts.</summary>
    public static readonly string[] Formats = ["table", "md", "json"];

    /// <summary>Builds the command.</summary>
    /// <param name="context">Where to write.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var filter = new Option<string?>("--filter", "-f")
        {
            Description = "Only cases whose id contains this text, or matches this glob when it has '*' (case-insensitive), e.g. 'gelu' or 'activation/*/float32/cpu/*'.",
        };
        var device = new Option<string?>("--device", "-d")
        {
            Description = "Only cases on this device: " + string.Join(" or ", ConformanceDevices.All) + " (default: every device; CUDA cases are reported as skipped where CUDA is unavailable).",
        };
        device.Validators.Add(r => Validate(r, value => ConformanceDevices.All.Contains(value.ToLowerInvariant()),
            value => $"Unknown device '{value}'. Use one of: {string.Join(", ", ConformanceDevices.All)}."));
        var dtype = new Option<string?>("--dtype")
        {
            Description = "Only cases in this dtype: " + string.Join(", ", DTypeNames.Known) + ", or 'any' for cases not about one dtype.",
        };
        dtype.Validators.Add(r => Validate(r, value => CanonicalDType(value) is not null,
            value => $"Unknown dtype '{value}'. Use one of: {string.Join(", ", DTypeNames.Known)}, any."));
        var group = new Option<string?>("--group", "-g")
        {
            Description = "Only cases of this group: " + string.Join(", ", CaseGroupNames.Known) + ".",
        };
        group.Validators.Add(r => Validate(r, value => CaseGroupNames.TryParse(value, out _),
            value => $"Unknown group '{value}'. Use one of: {string.Join(", ", CaseGroupNames.Known)}."));
        var format = new Option<string>("--format")
        {
            Description = "What to print: 'table' (summary table, skip reasons and failures), 'md' (the Markdown report) or 'json' (the JSON report).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong(Formats);
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Also write report.md and report.json into this folder (created if needed).",
        };
        var list = new Option<bool>("--list")
        {
            Description = "List the selected case ids with their claims instead of running them.",
        };

        var seed = new Option<ulong?>("--seed")
        {
            Description = $"The seed of the properties group (default {PropertyOptions.DefaultSeed}; the same as setting {PropertyOptions.SeedVariable}). Every report prints it; pass it back to reproduce a failing property.",
        };
        var examples = new Option<int?>("--examples")
        {
            Description = $"Examples drawn per property of the properties group (default {PropertyOptions.DefaultExamples}, sized for CI; the same as setting {PropertyOptions.ExamplesVariable}). More examples find rarer failures.",
        };
        examples.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is <= 0)
            {
                r.AddError("--examples must be a positive number.");
            }
        });
        var inProcess = new Option<bool>("--in-process")
        {
            Description = "Run the cases in this process instead of a worker process (faster to debug; a case that aborts then ends the run).",
        };
        var casesFrom = new Option<string?>("--cases-from")
        {
            Description = "Also run the cases of the ICaseSource types in this assembly (test fixtures, your own cases).",
        };
        var worker = new Option<bool>("--worker")
        {
            Description = "Internal: serve case ids from standard input (the worker process of the crash-proof runner).",
            Hidden = true,
        };

        var command = new Command("conform", "Run the conformance suite: every case of the catalog (" + string.Join(", ", CaseGroupNames.Known) + ") on every device, in a worker process (a case that crashes it is reported as crashed and a fresh worker goes on); exit code 1 when a case fails or crashes.")
        {
            filter, device, dtype, group, format, output, list, seed, examples, inProcess, casesFrom, worker,
        };
        command.SetAction(parse =>
        {
            // The worker process inherits these, so the properties draw the same examples in or out of process.
            if (parse.GetValue(seed) is { } s)
            {
                Environment.SetEnvironmentVariable(PropertyOptions.SeedVariable, s.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (parse.GetValue(examples) is { } n)
            {
                Environment.SetEnvironmentVariable(PropertyOptions.ExamplesVariable, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            string? groupName = parse.GetValue(group);
            CaseGroup? parsedGroup = groupName is not null && CaseGroupNames.TryParse(groupName, out CaseGroup g) ? g : null;
            var selection = new ConformSelection(
                NullIfBlank(parse.GetValue(filter)),
                parse.GetValue(device)?.ToLowerInvariant(),
                parse.GetValue(dtype) is { } d ? CanonicalDType(d) : null,
                parsedGroup,
                NullIfBlank(parse.GetValue(casesFrom)));
            var run = new ConformRun(context, selection, parse.GetValue(format) ?? "table", NullIfBlank(parse.GetValue(output)), !parse.GetValue(inProcess));
            return parse.GetValue(worker) ? run.Serve() : parse.GetValue(list) ? run.List() : run.Execute();
        });
        return command;
    }

    /// <summary>The canonical name of a dtype option value (<c>float</c> → <c>float32</c>), <c>any</c>, or <see langword="null"/> when unknown.</summary>
    /// <param name="value">The value as typed.</param>
    /// <returns>The canonical name, or <see langword="null"/>.</returns>
    public static string? CanonicalDType(string value)
    {
        if (string.Equals(value.Trim(), "any", StringComparison.OrdinalIgnoreCase))
        {
            return "any";
        }

        return DTypeNames.TryParse(value, out TorchSharp.torch.ScalarType parsed) ? DTypeNames.Of(parsed) : null;
    }

    private static void Validate(OptionResult result, Func<string, bool> isValid, Func<string, string> message)
    {
        foreach (Token token in result.Tokens)
        {
            if (!isValid(token.Value))
            {
                result.AddError(message(token.Value));
            }
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
