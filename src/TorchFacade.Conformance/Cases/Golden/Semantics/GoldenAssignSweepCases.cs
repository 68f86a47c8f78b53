using System.Text.Json;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// Golden group, <c>Assign</c> (Python's <c>y[...] = source</c>) against PyTorch 2.6 (<c>tests/golden/assign.json</c>,
/// <c>make_assign_golden.py</c>): targets contiguous, transposed, stepped, expanded (stride 0), 0-d, empty and a leaf
/// that requires grad, in float32 and int64; sources of random shapes (broadcastable or not, extra leading size-1
/// dimensions, more dimensions) in float64, int32 and bool. Where PyTorch raises, <c>Assign</c> raises; where it writes,
/// <c>y</c> holds PyTorch's values afterwards (dtype conversion included) in its own storage.
/// </summary>
internal sealed class GoldenAssignSweepCases : ICaseSource
{
    private const string FileName = "assign.json";

    private static IEnumerable<(string Name, string DType)> Targets => GoldenJson.Root(FileName) is { } root
        ? root.GetProperty("targets").EnumerateArray().Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("dtype").GetString()!))
        : [("contiguous", "float32")];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() => Targets.SelectMany(t => CaseKit.PerDevice(
        CaseGroup.Golden,
        device => $"golden/semantics/assign-sweep/{t.Name}/{t.DType}/{device}",
        $"Assign into a {t.Name} {t.DType} tensor raises for every source PyTorch 2.6's y[...] = source refuses and otherwise leaves PyTorch's values in y's own storage.",
        $"facade Assign vs PyTorch 2.6 in tests/golden/{FileName}",
        device => Run(t.Name, t.DType, device),
        tolerance: Tolerance.Exact("small integers and halves: every value is exact"),
        skipWhen: () => GoldenJson.MissingReason(FileName)));

    private static CaseResult Run(string name, string dtype, torch.Device device)
    {
        JsonElement target = GoldenJson.Root(FileName)!.Value.GetProperty("targets").EnumerateArray().First(t => t.GetProperty("name").GetString() == name && t.GetProperty("dtype").GetString() == dtype);
        long[] Longs(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();
        var failures = new List<string>();
        int count = 0;
        foreach (JsonElement row in target.GetProperty("rows").EnumerateArray())
        {
            count++;
            using var scope = torch.NewDisposeScope();
            long[] shape = Longs(target.GetProperty("shape"));
            long storage = target.GetProperty("storage").GetInt64();
            Tensor y = target.GetProperty("requires_grad").GetBoolean()
                ? torch.arange(storage, dtype: ScalarType.Float32, device: device).reshape(shape).requires_grad_(true)
                : torch.arange(storage, dtype: GoldenJson.DType(dtype), device: device).as_strided(shape, Longs(target.GetProperty("stride")), target.GetProperty("offset").GetInt64());
            double[] values = row.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Tensor source = torch.tensor(values, dtype: ScalarType.Float64, device: device).reshape(Longs(row.GetProperty("source_shape"))).to(GoldenJson.DType(row.GetProperty("source_dtype").GetString()!));
            string what = $"Assign(source [{string.Join(", ", source.shape)}] {row.GetProperty("source_dtype").GetString()})";
            long before = y.numel() > 0 ? y.DataPtr : 0;
            try
            {
                y.Assign(source);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                if (!row.TryGetProperty("error", out _))
                {
                    failures.Add($"{what}: raised {ex.GetType().Name}: {ex.Message.Split('\n')[0]}; PyTorch writes it");
                }

                continue;
            }

            if (row.TryGetProperty("error", out JsonElement error))
            {
                failures.Add($"{what}: wrote it; PyTorch raises {error.GetString()}: {row.GetProperty("message").GetString()}");
                continue;
            }

            double[] after = Compare.ToDoubles(y.detach());
            double[] expected = row.GetProperty("after").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            if (!after.SequenceEqual(expected))
            {
                failures.Add($"{what}: y holds [{string.Join(", ", after)}]; PyTorch: [{string.Join(", ", expected)}]");
            }
            else if (y.numel() > 0 && y.DataPtr != before)
            {
                failures.Add($"{what}: y moved to new storage; PyTorch writes into it");
            }
        }

        return GoldenJson.Verdict(failures, count, "assignments");
    }
}
