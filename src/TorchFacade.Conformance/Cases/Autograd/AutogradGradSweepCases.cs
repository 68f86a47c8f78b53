using System.Text.Json;
using TorchFacade.Conformance.Cases.Golden;

namespace TorchFacade.Conformance.Cases.Autograd;

/// <summary>
/// <c>Torch.Autograd.Grad</c> against PyTorch 2.6's <c>torch.autograd.grad</c> over random argument combinations on one
/// small graph (<c>tests/golden/autograd_grad.json</c>, <c>make_autograd_grad_golden.py</c>): outputs that are scalar,
/// non-scalar or do not require grad; inputs that are leaves, a non-leaf, unused, or do not require grad; grad_outputs
/// omitted, None, ones or of the wrong shape; allow_unused, materialize_grads, create_graph and retain_graph. Each
/// configuration is called twice on one graph (what a freed graph does). Where PyTorch raises, the facade raises;
/// where it answers, every gradient is PyTorch's (None where PyTorch gives None).
/// </summary>
internal sealed class AutogradGradSweepCases : ICaseSource
{
    private const string FileName = "autograd_grad.json";

    private static readonly Dictionary<string, long[]> Shapes = new(StringComparer.Ordinal) { ["s_ab"] = [], ["v_ab"] = [2, 3], ["s_f"] = [], ["s_c"] = [], ["s_n"] = [] };

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() => CaseKit.PerDevice(
        CaseGroup.Autograd,
        device => $"autograd/grad-sweep/{device}",
        "For 240 random torch.autograd.grad argument combinations, each called twice on one graph, Torch.Autograd.Grad raises where PyTorch 2.6 raises and otherwise returns PyTorch's gradients (None where it gives None).",
        $"facade Torch.Autograd.Grad vs PyTorch 2.6 in tests/golden/{FileName}",
        Run,
        tolerance: new Tolerance(1e-12, 1e-14, "float64 gradients computed by LibTorch's own kernels in both"),
        skipWhen: () => GoldenJson.MissingReason(FileName));

    private static CaseResult Run(torch.Device device) => GoldenJson.Sweep(FileName, "configurations (two calls each)", row => Row(row, device));

    private static string? Row(JsonElement row, torch.Device device)
    {
        JsonElement cfg = row.GetProperty("config");
        Tensor a = ((torch.arange(6, dtype: ScalarType.Float64, device: device).reshape(2, 3) / 4) - 0.5).requires_grad_(true);
        Tensor b = torch.tensor(new[] { 0.5, -1.0, 2.0 }, device: device).requires_grad_(true);
        Tensor c = torch.tensor(1.5, dtype: ScalarType.Float64, device: device).requires_grad_(true);
        Tensor u = torch.tensor(new[] { 3.0, 4.0 }, device: device).requires_grad_(true);
        Tensor n = torch.tensor(new[] { 1.0, 2.0, 3.0 }, device: device);
        Tensor f = a * 2;
        var leaves = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["a"] = a, ["b"] = b, ["c"] = c, ["u"] = u, ["n"] = n, ["f"] = f };
        string[] outputNames = cfg.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Tensor[] outputs = outputNames.Select(o => o switch
        {
            "s_ab" => (a * b).sum(),
            "v_ab" => a * b,
            "s_f" => f.sin().sum(),
            "s_c" => c * c,
            _ => (n * 2).sum(),
        }).ToArray();
        Tensor[] inputs = cfg.GetProperty("inputs").EnumerateArray().Select(e => leaves[e.GetString()!]).ToArray();
        Tensor?[]? gradOutputs = cfg.GetProperty("grad_outputs").GetString() switch
        {
            "none" => new Tensor?[outputs.Length],
            "ones" => outputNames.Select(o => (Tensor?)torch.ones(Shapes[o], dtype: ScalarType.Float64, device: device)).ToArray(),
            "wrong" => outputNames.Select(_ => (Tensor?)torch.ones([2, 2], dtype: ScalarType.Float64, device: device)).ToArray(),
            _ => null,
        };
        bool Flag(string key) => cfg.TryGetProperty(key, out JsonElement v) && v.GetBoolean();
        bool? retain = cfg.TryGetProperty("retain_graph", out JsonElement r) ? r.GetBoolean() : null;
        string what = $"Grad({string.Join(",", outputNames)} wrt {string.Join(",", cfg.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()))}, {cfg})";
        foreach (string call in new[] { "first", "second" })
        {
            if (Mismatch(() => TorchFacade.Torch.Autograd.Grad(outputs, inputs, gradOutputs, retain, Flag("create_graph"), Flag("allow_unused"), Flag("materialize_grads")), row.GetProperty(call)) is { } why)
            {
                return $"{what}, {call} call: {why}";
            }
        }

        return null;
    }

    private static string? Mismatch(Func<Tensor?[]> call, JsonElement expected)
    {
        Tensor?[] grads;
        try
        {
            grads = call();
        }
        catch (Exception ex) when (ex is TorchException or ArgumentException)
        {
            return expected.TryGetProperty("error", out _) ? null : $"raised {ex.GetType().Name}: {ex.Message.Split('\n')[0]}; PyTorch returns gradients";
        }

        if (expected.TryGetProperty("error", out JsonElement error))
        {
            return $"returned {grads.Length} gradients; PyTorch raises {error.GetString()}: {expected.GetProperty("message").GetString()}";
        }

        JsonElement[] want = expected.GetProperty("grads").EnumerateArray().ToArray();
        if (want.Length != grads.Length)
        {
            return $"{grads.Length} gradients; PyTorch: {want.Length}";
        }

        for (int i = 0; i < grads.Length; i++)
        {
            if (want[i].ValueKind == JsonValueKind.Null || grads[i] is null)
            {
                if (want[i].ValueKind != JsonValueKind.Null || grads[i] is not null)
                {
                    return $"gradient {i} is {(grads[i] is null ? "None" : "a tensor")}; PyTorch: {(want[i].ValueKind == JsonValueKind.Null ? "None" : "a tensor")}";
                }

                continue;
            }

            double[] actual = Compare.ToDoubles(grads[i]!.detach());
            double[] values = want[i].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            if (actual.Length != values.Length || actual.Zip(values).Any(p => Math.Abs(p.First - p.Second) > 1e-14 + (1e-12 * Math.Abs(p.Second))))
            {
                return $"gradient {i} is [{string.Join(", ", actual)}]; PyTorch: [{string.Join(", ", values)}]";
            }
        }

        return null;
    }
}
