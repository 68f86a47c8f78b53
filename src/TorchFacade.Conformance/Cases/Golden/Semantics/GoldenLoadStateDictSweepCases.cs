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

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() => CaseKit.PerDevice(
        CaseGroup.Golden,
        device => $"golden/semantics/load-state-dict-sweep/{device}",
        "For 100 random edits of a Sequential(Linear, BatchNorm1d, Linear) checkpoint, loaded strict or not, LoadStateDict raises with PyTorch 2.6's message lines where it raises, and otherwise reports its missing and unexpected keys and leaves its values.",
        $"facade LoadStateDict vs PyTorch 2.6 in tests/golden/{FileName}",
        Run,
        tolerance: new Tolerance(1e-6, 1e-6, "sums of float32 entries of at most 16 elements"),
        skipWhen: () => GoldenJson.MissingReason(FileName));

    private static CaseResult Run(torch.Device device) => GoldenJson.Sweep(FileName, "loads", row => Mismatch(row, device));

    private static string? Mismatch(JsonElement row, torch.Device device)
    {
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
            ScalarType dtype = GoldenJson.DType(entry[1].GetString()!);
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
                return $"{what}: raised {ex.Message.Split('\n')[0]}; PyTorch loads it";
            }

            if (row.GetProperty("lines").EnumerateArray().Select(l => l.GetString()!).FirstOrDefault(l => !ex.Message.Contains(l, StringComparison.Ordinal)) is var line
                     && (line is not null || kind.GetString() != ex.PyTorchType))
            {
                return $"{what}: raised {ex.PyTorchType} '{ex.Message.Replace('\n', '|')}'; PyTorch's {kind.GetString()}{(line is null ? string.Empty : $" has the line '{line}'")}";
            }

            return null;
        }

        if (row.TryGetProperty("error", out JsonElement error))
        {
            return $"{what}: loaded it; PyTorch raises {error.GetString()}: {string.Join(" | ", row.GetProperty("lines").EnumerateArray())}";
        }

        string[] missing = row.GetProperty("missing").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string[] unexpected = row.GetProperty("unexpected").EnumerateArray().Select(e => e.GetString()!).ToArray();
        if (!result.MissingKeys.SequenceEqual(missing) || !result.UnexpectedKeys.SequenceEqual(unexpected))
        {
            return $"{what}: missing [{string.Join(", ", result.MissingKeys)}] unexpected [{string.Join(", ", result.UnexpectedKeys)}]; PyTorch: [{string.Join(", ", missing)}] [{string.Join(", ", unexpected)}]";
        }

        var sums = module.state_dict().ToDictionary(kv => kv.Key, kv => Compare.ToDoubles(kv.Value).Sum(), StringComparer.Ordinal);
        string[] wrong = [.. row.GetProperty("sums").EnumerateObject()
            .Where(p => !sums.TryGetValue(p.Name, out double sum) || Math.Abs(sum - p.Value.GetDouble()) > 1e-6 + (1e-6 * Math.Abs(p.Value.GetDouble())))
            .Select(p => $"{p.Name} sums to {(sums.TryGetValue(p.Name, out double s) ? s : double.NaN)}; PyTorch: {p.Value.GetDouble()}")];
        return wrong.Length == 0 ? null : $"{what}: {string.Join("; ", wrong)}";
    }
}
