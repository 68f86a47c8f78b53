using System.Text.Json;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// Golden group, storage and in-place outcomes: for each view/copy operation of <c>tests/golden/make_semantics_golden.py</c>
/// on <c>arange(6.).reshape(2, 3)</c>, whether the result shares the input's storage, its shape and contiguity, and
/// what the input holds after <c>result.add_(100)</c>; for each in-place operation, whether it returns its own tensor
/// (the same LibTorch tensor: in C# the same native handle), keeps the storage, and the values and shape it leaves.
/// </summary>
internal sealed class GoldenStorageCases : ICaseSource
{
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Operations = new(StringComparer.Ordinal)
    {
        ["view"] = x => x.View(-1),
        ["reshape"] = x => x.Reshape(3, 2),
        ["reshape-of-transposed"] = x => x.t().Reshape(-1),
        ["t"] = x => x.t(),
        ["transpose"] = x => x.transpose(0, 1),
        ["permute"] = x => x.permute(1, 0),
        ["select"] = x => x[0],
        ["slice"] = x => x[TensorIndex.Colon, TensorIndex.Slice(1)],
        ["step-slice"] = x => x[TensorIndex.Colon, TensorIndex.Slice(null, null, 2)],
        ["index-tensor"] = x => x[tensor(new long[] { 1, 0 }, device: x.device)],
        ["narrow"] = x => x.narrow(1, 1, 2),
        ["unsqueeze"] = x => x.unsqueeze(0),
        ["squeeze"] = x => x.unsqueeze(0).squeeze(0),
        ["flatten"] = x => x.flatten(),
        ["flatten-of-transposed"] = x => x.t().flatten(),
        ["diagonal"] = x => x.diagonal(),
        ["chunk"] = x => x.chunk(3, 1)[1],
        ["movedim"] = x => x.movedim([0], [1]),
        ["clone"] = x => x.Clone(),
        ["contiguous"] = x => x.contiguous(),
        ["contiguous-of-transposed"] = x => x.t().contiguous(),
        ["detach"] = x => x.Detach(),
        ["to-same-dtype"] = x => x.to(ScalarType.Float32),
        ["to-float64"] = x => x.to(ScalarType.Float64),
        ["mul-by-one"] = x => x * 1,
        ["expand"] = x => x[0].expand(2, 3),
    };

    private static readonly Dictionary<string, Func<Tensor, Tensor>> InPlace = new(StringComparer.Ordinal)
    {
        ["add_"] = y => y.add_(1),
        ["mul_"] = y => y.mul_(2),
        ["zero_"] = y => y.zero_(),
        ["clamp_"] = y => y.clamp_(min: 2.0),
        ["transpose_"] = y => y.transpose_(0, 1),
        ["unsqueeze_"] = y => y.unsqueeze_(0),
    };

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        yield return SemanticGolden.CatalogMatches("storage", "storage", Operations.Keys);
        yield return SemanticGolden.CatalogMatches("in-place", "in_place", InPlace.Keys);
        foreach ((string name, Func<Tensor, Tensor> op) in Operations.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (ConformanceCase c in SemanticGolden.Twins("storage", name,
                         $"'{name}' shares (or copies) storage as in PyTorch {SemanticGolden.Torch}: same sharing, shape, contiguity and the input after result.add_(100)",
                         "facade/LibTorch storage outcome vs PyTorch's, stored by make_semantics_golden.py",
                         device => CheckStorage(name, op, device), ScalarType.Float32))
            {
                yield return c;
            }
        }

        foreach ((string name, Func<Tensor, Tensor> op) in InPlace.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (ConformanceCase c in SemanticGolden.Twins("in-place", name,
                         $"y.{name}(...) returns y itself, keeps its storage and leaves the values and shape PyTorch {SemanticGolden.Torch} leaves",
                         "facade/LibTorch in-place outcome vs PyTorch's, stored by make_semantics_golden.py",
                         device => CheckInPlace(name, op, device), ScalarType.Float32))
            {
                yield return c;
            }
        }
    }

    private static Tensor Base(Device device) => arange(6, dtype: ScalarType.Float32, device: device).View(2, 3);

    private static CaseResult CheckStorage(string name, Func<Tensor, Tensor> op, Device device)
    {
        if (!SemanticGolden.Section("storage").TryGetValue(name, out JsonElement golden))
        {
            return CaseResult.Fail($"tests/golden/{SemanticGolden.FileName} has no storage entry '{name}': run ./build.sh golden");
        }

        Tensor x = Base(device);
        Tensor r = op(x);
        var problems = new List<string>();
        Expect(problems, "shares storage", golden.GetProperty("shares").GetBoolean(), r.SharesStorageWith(x));
        Expect(problems, "shape", Longs(golden.GetProperty("shape")), r.shape);
        Expect(problems, "contiguous", golden.GetProperty("contiguous").GetBoolean(), r.is_contiguous());
        if (golden.GetProperty("input_after").ValueKind != JsonValueKind.Null)
        {
            r.add_(100);
            Expect(problems, "input after result.add_(100)", Doubles(golden.GetProperty("input_after")), Compare.ToDoubles(x));
        }

        return problems.Count == 0
            ? CaseResult.Pass(note: golden.GetProperty("shares").GetBoolean() ? "shares storage" : "copies")
            : CaseResult.Fail(string.Join("; ", problems));
    }

    private static CaseResult CheckInPlace(string name, Func<Tensor, Tensor> op, Device device)
    {
        if (!SemanticGolden.Section("in_place").TryGetValue(name, out JsonElement golden))
        {
            return CaseResult.Fail($"tests/golden/{SemanticGolden.FileName} has no in_place entry '{name}': run ./build.sh golden");
        }

        Tensor y = Base(device);
        long pointer = y.DataPtr;
        Tensor r = op(y);
        var problems = new List<string>();
        // Python's `r is y`. TorchSharp returns either y itself or a new handle of the same LibTorch tensor (zero_):
        // the same storage, offset, shape and strides, so later in-place changes through either are seen by both.
        bool sameHandle = r.Handle == y.Handle;
        bool sameTensor = sameHandle || (r.DataPtr == y.DataPtr && r.shape.SequenceEqual(y.shape) && r.stride().SequenceEqual(y.stride()));
        Expect(problems, "returns its own tensor", golden.GetProperty("returns_self").GetBoolean(), sameTensor);
        Expect(problems, "keeps its storage", golden.GetProperty("same_storage").GetBoolean(), y.DataPtr == pointer);
        Expect(problems, "shape", Longs(golden.GetProperty("shape")), y.shape);
        Expect(problems, "values", Doubles(golden.GetProperty("values")), Compare.ToDoubles(y.contiguous()));
        return problems.Count > 0 ? CaseResult.Fail(string.Join("; ", problems))
            : sameTensor && !sameHandle ? CaseResult.Pass(note: $"TorchSharp's {name} returns a new handle of the same tensor (PyTorch returns the object itself)")
            : CaseResult.Pass();
    }

    private static void Expect(List<string> problems, string what, bool expected, bool actual)
    {
        if (expected != actual)
        {
            problems.Add($"{what}: {actual}, PyTorch {expected}");
        }
    }

    private static void Expect<T>(List<string> problems, string what, T[] expected, T[] actual)
    {
        if (!expected.SequenceEqual(actual))
        {
            problems.Add($"{what}: [{string.Join(", ", actual)}], PyTorch [{string.Join(", ", expected)}]");
        }
    }

    private static long[] Longs(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt64())];

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];
}
