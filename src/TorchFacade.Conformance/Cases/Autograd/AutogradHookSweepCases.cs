using System.Text.Json;
using TorchFacade.Conformance.Cases.Golden;

namespace TorchFacade.Conformance.Cases.Autograd;

/// <summary>
/// Tensor hooks and <c>RetainGrad</c> against PyTorch 2.6 over random registration sequences
/// (<c>tests/golden/hooks.json</c>, <c>make_hooks_golden.py</c>): on leaves a, b and non-leaves x = a·b, y = sin x,
/// w = y·a, one to six operations — <c>RetainGrad</c> (on a leaf too), <c>RegisterHook</c> with a hook that counts its
/// calls and scales the gradient or keeps it, <c>Remove</c> of an earlier hook — then one or two
/// <c>Backward(retainGraph: true)</c> passes of w.sum() + (x·x).sum(). Every tensor's <c>Grad</c> (null where PyTorch
/// keeps none) and every hook's call count must be PyTorch's: registration order, hooks before the retained gradient,
/// leaf hooks before accumulation, removal, and accumulation over two passes.
/// </summary>
internal sealed class AutogradHookSweepCases : ICaseSource
{
    private const string FileName = "hooks.json";

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() => CaseKit.PerDevice(
        CaseGroup.Autograd,
        device => $"autograd/hook-sweep/{device}",
        "For 150 random sequences of RetainGrad, RegisterHook (scaling or keeping the gradient) and Remove, followed by one or two backward passes, every tensor's Grad and every hook's call count are PyTorch 2.6's.",
        $"facade hooks and RetainGrad vs PyTorch 2.6 in tests/golden/{FileName}",
        Run,
        tolerance: new Tolerance(1e-12, 1e-14, "float64 gradients computed by LibTorch's own kernels in both"),
        skipWhen: () => GoldenJson.MissingReason(FileName));

    private static CaseResult Run(torch.Device device) => GoldenJson.Sweep(FileName, "registration sequences", row => Mismatch(row, device));

    private static string? Mismatch(JsonElement row, torch.Device device)
    {
        Tensor a = torch.tensor(new[] { 0.5, -1.0, 2.0 }, device: device).requires_grad_(true);
        Tensor b = torch.tensor(new[] { 1.5, 0.25, -0.75 }, device: device).requires_grad_(true);
        Tensor x = a * b;
        Tensor y = x.sin();
        Tensor w = y * a;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["a"] = a, ["b"] = b, ["x"] = x, ["y"] = y, ["w"] = w };
        var calls = new Dictionary<int, int>();
        var handles = new Dictionary<int, RemovableHandle>();
        JsonElement cfg = row.GetProperty("config");
        foreach (JsonElement op in cfg.GetProperty("ops").EnumerateArray())
        {
            switch (op.GetProperty("op").GetString())
            {
                case "retain":
                    tensors[op.GetProperty("tensor").GetString()!].RetainGrad();
                    break;
                case "hook":
                    int id = op.GetProperty("id").GetInt32();
                    double? factor = op.GetProperty("factor").ValueKind == JsonValueKind.Null ? null : op.GetProperty("factor").GetDouble();
                    handles[id] = tensors[op.GetProperty("tensor").GetString()!].RegisterHook(g =>
                    {
                        calls[id] = calls.GetValueOrDefault(id) + 1;
                        return factor is { } k ? g * k : null;
                    });
                    break;
                default:
                    handles[op.GetProperty("id").GetInt32()].Remove();
                    break;
            }
        }

        Tensor loss = w.sum() + (x * x).sum();
        for (int i = 0; i < cfg.GetProperty("backwards").GetInt32(); i++)
        {
            loss.Backward(retainGraph: true);
        }

        var problems = new List<string>();
        foreach ((string name, Tensor t) in tensors)
        {
            JsonElement want = row.GetProperty("grads").GetProperty(name);
            Tensor? got = t.Grad;
            if (want.ValueKind == JsonValueKind.Null || got is null)
            {
                if (want.ValueKind != JsonValueKind.Null || got is not null)
                {
                    problems.Add($"{name}.Grad is {(got is null ? "null" : "a tensor")}, PyTorch's is {(want.ValueKind == JsonValueKind.Null ? "None" : "a tensor")}");
                }

                continue;
            }

            double[] actual = Compare.ToDoubles(got);
            double[] expected = want.EnumerateArray().Select(v => v.GetDouble()).ToArray();
            if (actual.Zip(expected).Any(p => Math.Abs(p.First - p.Second) > 1e-14 + (1e-12 * Math.Abs(p.Second))))
            {
                problems.Add($"{name}.Grad [{string.Join(", ", actual)}], PyTorch's [{string.Join(", ", expected)}]");
            }
        }

        int[] wantCalls = row.GetProperty("calls").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        int[] gotCalls = Enumerable.Range(0, wantCalls.Length).Select(i => calls.GetValueOrDefault(i)).ToArray();
        if (!gotCalls.SequenceEqual(wantCalls))
        {
            problems.Add($"hook calls [{string.Join(", ", gotCalls)}], PyTorch's [{string.Join(", ", wantCalls)}]");
        }

        return problems.Count > 0 ? $"{cfg}: {string.Join("; ", problems)}" : null;
    }
}
