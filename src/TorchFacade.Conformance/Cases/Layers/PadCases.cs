using TorchFacade.Reference.Layers;

namespace TorchFacade.Conformance.Cases.Layers;

/// <summary>
/// <c>F.pad</c> semantics: the pad tuple runs from the last dimension backwards, two numbers per dimension; every mode.
/// The reference <see cref="Pad"/> vs LibTorch's <c>F.pad</c> (values and gradients) on a grid of shapes and pads, the
/// E.3 examples by hand, and the inputs both must refuse.
/// </summary>
internal sealed class PadCases : ICaseSource
{
    private static readonly (PadMode Mode, PaddingModes LibTorch, string Name)[] Modes =
    [
        (PadMode.Constant, PaddingModes.Constant, "constant"), (PadMode.Reflect, PaddingModes.Reflect, "reflect"),
        (PadMode.Replicate, PaddingModes.Replicate, "replicate"), (PadMode.Circular, PaddingModes.Circular, "circular"),
    ];

    /// <summary>(shape, pad) pairs valid for every mode: 1, 2 and 3 padded dimensions, batched and unbatched.</summary>
    private static readonly (long[] Shape, long[] Pad)[] Grid =
    [
        ([2, 5], [2, 1]), ([2, 3, 5], [1, 3]), ([3, 4, 5], [0, 2, 1, 1]), ([2, 3, 4, 5], [1, 2, 3, 0]),
        ([1, 2, 3, 4, 5], [1, 1, 2, 0, 1, 2]), ([3, 4, 5, 6], [1, 0, 0, 1, 2, 2]),
    ];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            foreach ((PadMode mode, PaddingModes libtorch, string name) in Modes)
            {
                foreach (ScalarType dtype in LayerCaseKit.FloatTypes)
                {
                    yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("pad", name, "grid", DTypeNames.Of(dtype), device), device, $"F.pad(x, pad, '{name}'): pairs from the last dimension backwards; values and gradients", "reference vs LibTorch F.pad (forward, autograd)", () => GridCase(mode, libtorch, dtype, ConformanceDevices.Of(device)), dtype, Tolerance.For(dtype));
                }

                yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("pad", name, "e3-example", device), device, $"padding [1,2,3,4] by (2, 1) in mode '{name}' gives the E.3 table's row", "reference and LibTorch vs hand-written values", () => E3Values(mode, libtorch, ConformanceDevices.Of(device)), ScalarType.Float32, Tolerance.Exact("padding copies values"));
            }

            yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("pad", "constant", "negative-crops", device), device, "negative constant padding crops; value fills the rest (value=9)", "reference vs LibTorch F.pad", () =>
            {
                Device dev = ConformanceDevices.Of(device);
                Tensor x = LayerCaseKit.Randn(51, ScalarType.Float32, dev, 2, 3, 6);
                long[][] pads = [[-1, -2], [-1, 2, 1, -1], [0, 0, -1, 0, 2, 1], [3, -2]];
                return LayerCaseKit.Combine(pads.Select(p => ($"pad ({string.Join(", ", p)})",
                    Compare.Close(Pad.Apply(x, p, PadMode.Constant, 9), nn.functional.pad(x, p, PaddingModes.Constant, 9), Tolerance.Exact("copies"), what: "padded"))).ToArray());
            }, ScalarType.Float32, Tolerance.Exact("padding copies values"));
        }

        foreach (string device in ConformanceDevices.All)
        {
            yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("pad", "e3-shapes", device), device, "from (1,3,4,4): (1,1)→(1,3,4,6); (1,1,2,2)→(1,3,8,6); (0,1,2,2,3,3)→(1,9,8,5); (−1,−1)→(1,3,4,2); and the notes' docstring examples on (3,3,4,2)", "reference Pad.OutputShape and LibTorch F.pad vs hand-written shapes", () => E3Shapes(ConformanceDevices.Of(device)));
        }
        foreach (string device in ConformanceDevices.All)
        {
            yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("pad", "refusals", device), device, "F.pad refuses an odd-length pad, more pairs than dimensions, reflect padding ≥ the size, circular padding > the size, and reflect on the last dim of a 4D input; the reference refuses the same", "reference exceptions vs LibTorch errors", () => Refusals(ConformanceDevices.Of(device)));
        }
    }

    private static CaseResult GridCase(PadMode mode, PaddingModes libtorch, ScalarType dtype, Device device)
    {
        var parts = new List<(string, CaseResult)>();
        ulong seed = 60;
        foreach ((long[] shape, long[] pad) in Grid)
        {
            Tensor x1 = LayerCaseKit.Randn(seed++, dtype, device, shape).requires_grad_();
            Tensor x2 = x1.detach().clone().requires_grad_();
            Tensor actual = Pad.Apply(x1, pad, mode);
            Tensor expected = nn.functional.pad(x2, pad, libtorch);
            Tensor g = LayerCaseKit.Randn(seed++, dtype, device, expected.shape);
            string what = $"shape [{string.Join(", ", shape)}] pad ({string.Join(", ", pad)})";
            CaseResult forward = Compare.Close(actual, expected, Tolerance.Exact("padding copies values"), what: "forward");
            if (forward.Outcome != CaseOutcome.Passed)
            {
                parts.Add((what, forward));
                continue;
            }

            actual.backward([g]);
            expected.backward([g]);
            parts.Add((what + " forward", forward));
            parts.Add((what + " grad", Compare.Close(x1.grad!, x2.grad!, Tolerance.For(dtype), what: "grad")));
        }

        return LayerCaseKit.Combine([.. parts]);
    }

    private static CaseResult E3Values(PadMode mode, PaddingModes libtorch, Device device)
    {
        double[] expected = mode switch
        {
            PadMode.Constant => [0, 0, 1, 2, 3, 4, 0],
            PadMode.Reflect => [3, 2, 1, 2, 3, 4, 3],
            PadMode.Replicate => [1, 1, 1, 2, 3, 4, 4],
            _ => [3, 4, 1, 2, 3, 4, 1],
        };
        Tensor x = torch.tensor(new float[] { 1, 2, 3, 4 }, device: device).reshape(1, 1, 4);
        long[] pad = [2, 1];
        var tol = Tolerance.Exact("padding copies values");
        var parts = new List<(string, CaseResult)>
        {
            ("reference", Compare.Close(Compare.ToDoubles(Pad.Apply(x, pad, mode)), expected, tol, ScalarType.Float32, what: "reference")),
            ("LibTorch", Compare.Close(Compare.ToDoubles(nn.functional.pad(x, pad, libtorch)), expected, tol, ScalarType.Float32, what: "LibTorch")),
        };
        if (mode == PadMode.Constant)
        {
            double[] nines = [9, 9, 1, 2, 3, 4, 9];
            parts.Add(("reference value=9", Compare.Close(Compare.ToDoubles(Pad.Apply(x, pad, mode, 9)), nines, tol, ScalarType.Float32, what: "reference")));
            parts.Add(("LibTorch value=9", Compare.Close(Compare.ToDoubles(nn.functional.pad(x, pad, libtorch, 9)), nines, tol, ScalarType.Float32, what: "LibTorch")));
        }

        return LayerCaseKit.Combine([.. parts]);
    }

    private static CaseResult E3Shapes(Device device)
    {
        (long[] input, long[] pad, long[] expected)[] table =
        [
            ([1, 3, 4, 4], [1, 1], [1, 3, 4, 6]), ([1, 3, 4, 4], [1, 1, 2, 2], [1, 3, 8, 6]),
            ([1, 3, 4, 4], [0, 1, 2, 2, 3, 3], [1, 9, 8, 5]), ([1, 3, 4, 4], [-1, -1], [1, 3, 4, 2]),
            ([3, 3, 4, 2], [1, 1], [3, 3, 4, 4]), ([3, 3, 4, 2], [1, 1, 2, 2], [3, 3, 8, 4]), ([3, 3, 4, 2], [0, 1, 2, 1, 3, 3], [3, 9, 7, 3]),
        ];
        var parts = new List<(string, CaseResult)>();
        foreach ((long[] input, long[] pad, long[] expected) in table)
        {
            string what = $"({string.Join(", ", input)}) pad ({string.Join(", ", pad)})";
            using Tensor x = torch.zeros(input, device: device);
            using Tensor y = nn.functional.pad(x, pad);
            parts.Add((what + " reference", LayerCaseKit.SameShape(Pad.OutputShape(input, pad), expected, "reference")));
            parts.Add((what + " LibTorch", LayerCaseKit.SameShape(y.shape, expected, "LibTorch")));
        }

        return LayerCaseKit.Combine([.. parts]);
    }

    private static CaseResult Refusals(Device device)
    {
        (long[] shape, long[] pad, PadMode mode, PaddingModes libtorch)[] bad =
        [
            ([2, 3, 4], [1, 1, 1], PadMode.Constant, PaddingModes.Constant),
            ([3, 4], [1, 1, 1, 1, 1, 1], PadMode.Constant, PaddingModes.Constant),
            ([1, 2, 4], [4, 0], PadMode.Reflect, PaddingModes.Reflect),
            ([1, 2, 4], [0, 5], PadMode.Reflect, PaddingModes.Reflect),
            ([1, 2, 4], [5, 0], PadMode.Circular, PaddingModes.Circular),
            ([2, 3, 4, 5], [2, 2], PadMode.Reflect, PaddingModes.Reflect),
        ];
        var problems = new List<string>();
        foreach ((long[] shape, long[] pad, PadMode mode, PaddingModes libtorch) in bad)
        {
            using Tensor x = torch.zeros(shape, device: device);
            bool libtorchThrew = Throws(() => nn.functional.pad(x, pad, libtorch).Dispose());
            bool referenceThrew = Throws(() => Pad.Apply(x, pad, mode).Dispose(), expectArgument: true);
            if (!libtorchThrew || !referenceThrew)
            {
                problems.Add($"{mode} pad ({string.Join(", ", pad)}) on [{string.Join(", ", shape)}]: LibTorch threw {libtorchThrew}, reference threw ArgumentException {referenceThrew}");
            }
        }

        return CaseResult.Check(problems.Count == 0, string.Join("; ", problems));
    }

    private static bool Throws(Action action, bool expectArgument = false)
    {
        try
        {
            action();
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (Exception)
        {
            return !expectArgument;
        }
    }
}
