using System.Text.Json;
using TorchSharp.Modules;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// <c>Module.LoadStateDict</c> against PyTorch 2.6's <c>load_state_dict</c> over random edits of a checkpoint
/// (<c>tests/golden/load_state_dict.json</c>, <c>make_load_state_dict_golden.py</c>): a zeroed
/// <c>Sequential(Linear(3, 4), BatchNorm1d(4), Linear(4, 2))</c> loads the edited state dict (keys dropped or added,
/// tensors of another shape or flattened, float64 values, every key prefixed with <c>module.</c>), strict or not. Where
/// PyTorch raises, the facade raises a <see cref="TorchException"/> with every line of PyTorch's message; where it loads,
/// the missing and unexpected keys are PyTorch's, in its order, and so is every entry of the module afterwards.
/// </summary>
internal sealed class GoldenLoadStateDictSweepCases : ICaseSource
{
    private const string FileName = "load_state_dict.json";

    private static readonly Lazy<JsonDocument?> Document = new(() =>
        GoldenFiles.Directory is { } dir && File.Exists(Path.Combine(dir, FileName)) ? JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, FileName))) : null);

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            yield return new ConformanceCase
            {
                Id = $"golden/semantics/load-state-dict-sweep/{device}",
                Group = CaseGroup.Golden,
                Claim = "For 100 random edits of a Sequential(Linear, BatchNorm1d, Linear) checkpoint, loaded strict or not, LoadStateDict raises with PyTorch 2.6's message lines where it raises, and otherwise reports its missing and unexpected keys and leaves its values.",
                Compares = $"facade LoadStateDict vs PyTorch 2.6 in tests/golden/{FileName}",
                Device = device,
                Tolerance = new Tolerance(1e-6, 1e-6, "sums of float32 entries of at most 16 elements"),
                Run = () => Run(ConformanceDevices.Of(device)),
            };
        }
    }

    private static CaseResult Run(torch.Device device)
    {
        if (Document.Value is not { } doc)
        {
            return CaseResult.Skip($"skipped: tests/golden/{FileName} not found ({GoldenFiles.MissingReason})");
        }

        var failures = new List<string>();
        int count = 0;
        foreach (JsonElement row in doc.RootElement.GetProperty("rows").EnumerateArray())
        {
            count++;
            using var scope = torch.NewDisposeScope();
            using Sequential module = torch.nn.Sequential(("0", torch.nn.Linear(3, 4)), ("1", torch.nn.BatchNorm1d(4)), ("2", torch.nn.Linear(4, 2)));
            module.to(device);
            using (torch.no_grad())
            {
                foreach (Tensor v in module.state_dict().Values)
                {
                    v.zero_();
                }
            }

            var checkpoint = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (JsonElement entry in row.GetProperty("checkpoint").EnumerateArray())
            {
                ScalarType dtype = entry[1].GetString() switch { "float64" => ScalarType.Float64, "int64" => ScalarType.Int64, _ => ScalarType.Float32 };
                long[] shape = entry[2].EnumerateArray().Select(e => e.GetInt64()).ToArray();
                double[] values = entry[3].EnumerateArray().Select(e => e.GetDouble()).ToArray();
                checkpoint[entry[0].GetString()!] = torch.tensor(values, dtype: ScalarType.Float64, device: device).reshape(shape).to(dtype);
            }

            bool strict = row.GetProperty("config").GetProperty("strict").GetBoolean();
            string what = $"{row.GetProperty("config")}";
            IncompatibleKeys result;
            try
            {
                result = module.LoadStateDict(checkpoint, strict);
            }
            catch (TorchException ex)
            {
                if (!row.TryGetProperty("error", out JsonElement kind))
                {
                    failures.Add($"{what}: raised {ex.Message.Split('\n')[0]}; PyTorch loads it");
                }
                else if (kind.GetString() != ex.PyTorchType || row.GetProperty("lines").EnumerateArray().Select(l => l.GetString()!).FirstOrDefault(l => !ex.Message.Contains(l, StringComparison.Ordinal)) is { } line)
                {
                    failures.Add($"{what}: raised {ex.PyTorchType} '{ex.Message.Replace('\n', '|')}'; PyTorch's {kind.GetString()} has the line '{row.GetProperty("lines").EnumerateArray().Select(l => l.GetString()).FirstOrDefault(l => !ex.Message.Contains(l!, StringComparison.Ordinal))}'");
                }

                continue;
            }

            if (row.TryGetProperty("error", out JsonElement error))
            {
                failures.Add($"{what}: loaded it; PyTorch raises {error.GetString()}: {string.Join(" | ", row.GetProperty("lines").EnumerateArray())}");
                continue;
            }

            string[] missing = row.GetProperty("missing").EnumerateArray().Select(e => e.GetString()!).ToArray();
            string[] unexpected = row.GetProperty("unexpected").EnumerateArray().Select(e => e.GetString()!).ToArray();
            if (!result.MissingKeys.SequenceEqual(missing) || !result.UnexpectedKeys.SequenceEqual(unexpected))
            {
                failures.Add($"{what}: missing [{string.Join(", ", result.MissingKeys)}] unexpected [{string.Join(", ", result.UnexpectedKeys)}]; PyTorch: [{string.Join(", ", missing)}] [{string.Join(", ", unexpected)}]");
                continue;
            }

            var sums = module.state_dict().ToDictionary(kv => kv.Key, kv => Compare.ToDoubles(kv.Value).Sum(), StringComparer.Ordinal);
            foreach (JsonProperty p in row.GetProperty("sums").EnumerateObject())
            {
                if (!sums.TryGetValue(p.Name, out double sum) || Math.Abs(sum - p.Value.GetDouble()) > 1e-6 + (1e-6 * Math.Abs(p.Value.GetDouble())))
                {
                    failures.Add($"{what}: {p.Name} sums to {(sums.TryGetValue(p.Name, out double s) ? s : double.NaN)}; PyTorch: {p.Value.GetDouble()}");
                }
            }
        }

        return failures.Count == 0
            ? CaseResult.Pass(note: $"{count} loads as PyTorch {SemanticGolden.Torch}")
            : CaseResult.Fail($"{failures.Count} of {count} loads answered unlike PyTorch 2.6", failingInputs: failures);
    }
}
