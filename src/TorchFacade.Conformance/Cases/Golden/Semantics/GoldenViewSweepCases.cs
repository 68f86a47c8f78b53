using System.Text.Json;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// Golden group, <c>View</c> and <c>Reshape</c> against PyTorch 2.6 over strided layouts (<c>tests/golden/views.json</c>,
/// <c>make_view_golden.py</c>): each base is <c>arange(storage).as_strided(shape, stride, offset)</c> — contiguous,
/// transposed, permuted, stepped, narrowed, expanded, size-1 dimensions with odd strides, 0-d, empty — and each target
/// shape a factorization of its element count (with or without a <c>-1</c>) or a bad one. Where PyTorch raises, the
/// facade raises (its <see cref="ArgumentException"/> or <see cref="TensorLayoutException"/> for PyTorch's RuntimeError);
/// where PyTorch answers, the facade's result has PyTorch's shape, strides and storage offset, and <c>Reshape</c> shares
/// the base's storage exactly when PyTorch's does (a view, not a copy; not compared for zero elements, where PyTorch's
/// <c>data_ptr()</c> comparison is true for any two tensors).
/// </summary>
internal sealed class GoldenViewSweepCases : ICaseSource
{
    private const string FileName = "views.json";

    /// <summary>The base layouts the file has (its names), or the one it is expected to have when it is absent.</summary>
    private static IEnumerable<string> BaseNames => GoldenJson.Root(FileName) is { } root
        ? root.GetProperty("bases").EnumerateArray().Select(b => b.GetProperty("name").GetString()!)
        : ["contiguous"];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() => BaseNames.SelectMany(name => CaseKit.PerDevice(
        CaseGroup.Golden,
        device => $"golden/semantics/view-sweep/{name}/{device}",
        $"On the '{name}' layout, View and Reshape raise for every target shape PyTorch 2.6 refuses and give PyTorch's shape, strides, storage offset and storage sharing for every shape it takes.",
        $"facade View/Reshape vs PyTorch 2.6 in tests/golden/{FileName}",
        device => Run(name, device),
        tolerance: Tolerance.Exact("shapes, strides, offsets and raise-or-not are exact"),
        skipWhen: () => GoldenJson.MissingReason(FileName)));

    private static CaseResult Run(string name, torch.Device device)
    {
        JsonElement b = GoldenJson.Root(FileName)!.Value.GetProperty("bases").EnumerateArray().First(e => e.GetProperty("name").GetString() == name);
        long[] Longs(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();
        using var scope = torch.NewDisposeScope();
        Tensor storage = torch.arange(b.GetProperty("storage").GetInt64(), dtype: ScalarType.Float32, device: device);
        Tensor x = storage.as_strided(Longs(b.GetProperty("shape")), Longs(b.GetProperty("stride")), b.GetProperty("offset").GetInt64());
        var failures = new List<string>();
        int calls = 0;
        foreach (JsonElement row in b.GetProperty("rows").EnumerateArray())
        {
            calls += 2;
            long[] target = Longs(row.GetProperty("target"));
            string call = $"[{string.Join(", ", target)}]";
            if (Mismatch(() => x.View(target), row.GetProperty("view"), x, checkShares: false) is { } v)
            {
                failures.Add($"View({call}): {v}");
            }

            if (Mismatch(() => x.Reshape(target), row.GetProperty("reshape"), x, checkShares: true) is { } r)
            {
                failures.Add($"Reshape({call}): {r}");
            }
        }

        return GoldenJson.Verdict(failures, calls, $"View/Reshape calls on shape [{string.Join(", ", x.shape)}] strides [{string.Join(", ", x.stride())}]");
    }

    private static string? Mismatch(Func<Tensor> call, JsonElement expected, Tensor x, bool checkShares)
    {
        Tensor result;
        try
        {
            result = call();
        }
        catch (Exception ex) when (ex is ArgumentException or TensorLayoutException or TorchException)
        {
            return expected.TryGetProperty("error", out _) ? null : $"raised {ex.GetType().Name}: {ex.Message.Split('\n')[0]}; PyTorch gives shape [{string.Join(", ", expected.GetProperty("shape").EnumerateArray())}]";
        }

        if (expected.TryGetProperty("error", out JsonElement error))
        {
            return $"returned shape [{string.Join(", ", result.shape)}]; PyTorch raises {error.GetString()}: {expected.GetProperty("message").GetString()}";
        }

        string Text(IEnumerable<long> v) => "[" + string.Join(", ", v) + "]";
        string Expected(string key) => Text(expected.GetProperty(key).EnumerateArray().Select(e => e.GetInt64()));
        if (Text(result.shape) != Expected("shape") || Text(result.stride()) != Expected("stride") || result.storage_offset() != expected.GetProperty("offset").GetInt64())
        {
            return $"shape {Text(result.shape)} strides {Text(result.stride())} offset {result.storage_offset()}; PyTorch: {Expected("shape")} {Expected("stride")} {expected.GetProperty("offset").GetInt64()}";
        }

        // Zero elements: PyTorch's data_ptr() is 0 for every such storage, so its comparison says "shares" for any two;
        // SharesStorageWith answers only for the same tensor there (documented), and the comparison would say nothing.
        if (checkShares && x.numel() > 0 && result.SharesStorageWith(x) != expected.GetProperty("shares").GetBoolean())
        {
            return $"shares storage: {result.SharesStorageWith(x)}; PyTorch: {expected.GetProperty("shares").GetBoolean()}";
        }

        return null;
    }
}
