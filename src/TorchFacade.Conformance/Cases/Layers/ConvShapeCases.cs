using TorchFacade.Reference.Layers;

namespace TorchFacade.Conformance.Cases.Layers;

/// <summary>
/// <see cref="ConvShape"/> vs the shapes LibTorch's convolutions actually produce, over a grid of sizes, kernels, strides,
/// paddings and dilations (including inputs too small for the kernel, where both must refuse), <c>padding='same'</c> with even
/// kernels and dilation (and where the odd padding element goes), transposed convolutions, and the E.1 table.
/// </summary>
internal sealed class ConvShapeCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            yield return Case(device, "conv2d/output-size/grid", "H_out = ⌊(H_in + 2p − d(k − 1) − 1)/s + 1⌋ for every size in the grid; both refuse when the dilated kernel exceeds the padded input", Conv2dGrid);
            yield return Case(device, "conv2d/output-size/same", "padding='same' keeps H and W for odd and even kernels, with dilation 1-3", SameGrid);
            yield return Case(device, "conv2d/same-padding-split", "padding='same' pads d(k−1)//2 before and the rest after (the odd element goes right/bottom): equal to F.pad + valid conv", SameSplit);
            yield return Case(device, "conv-transpose2d/output-size/grid", "H_out = (H_in − 1)s − 2p + d(k − 1) + output_padding + 1", TransposedGrid);
        }

        foreach (string device in ConformanceDevices.All)
        {
            yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("conv2d", "output-size", "e1-table", device), device, "the worked examples of E.1: (32,3,1,1,1)→32, (32,3,2,1,1)→16, (32,3,1,0,2)→28, (7,3,2,0,1)→3, (10,4,3,1,2)→2", "reference vs hand-computed values", () =>
            {
                (long h, long k, long s, long p, long d, long expected)[] table = [(32, 3, 1, 1, 1, 32), (32, 3, 2, 1, 1, 16), (32, 3, 1, 0, 2, 28), (7, 3, 2, 0, 1, 3), (10, 4, 3, 1, 2, 2)];
                var wrong = table.Where(r => ConvShape.OutputSize(r.h, r.k, r.s, r.p, r.d) != r.expected).ToList();
                return CaseResult.Check(wrong.Count == 0, "wrong: " + string.Join(", ", wrong.Select(r => $"{r} gave {ConvShape.OutputSize(r.h, r.k, r.s, r.p, r.d)}")));
            });
        }
    }

    private static ConformanceCase Case(string device, string name, string claim, Func<Device, CaseResult> run) => CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id(name, device), device, claim, "reference formula vs LibTorch's convolution output", () => run(ConformanceDevices.Of(device)));

    private static CaseResult Conv2dGrid(Device device)
    {
        var mismatches = new List<string>();
        int checkedCount = 0, refusalsConfirmed = 0;
        foreach (long h in new long[] { 1, 6, 10 })
        {
            using Tensor input = torch.zeros([1, 1, h, h + 3], device: device);
            foreach (long k in new long[] { 1, 2, 3, 4 })
            {
                foreach (long d in new long[] { 1, 2, 3 })
                {
                    using Tensor weight = torch.zeros([1, 1, k, k], device: device);
                    foreach (long s in new long[] { 1, 2, 3 })
                    {
                        foreach (long p in new long[] { 0, 1, 2 })
                        {
                            long[]? actual = null;
                            try
                            {
                                (long oh, long ow) = ConvShape.Conv2d((h, h + 3), (k, k), (s, s), (p, p), (d, d));
                                actual = [1, 1, oh, ow];
                            }
                            catch (ArgumentOutOfRangeException)
                            {
                            }

                            // LibTorch's refusals are slow (an exception with a C++ backtrace each): confirm the first few.
                            if (actual is null && refusalsConfirmed++ >= 6)
                            {
                                continue;
                            }

                            checkedCount++;
                            long[]? expected = null;
                            try
                            {
                                using Tensor y = nn.functional.conv2d(input, weight, strides: [s, s], padding: [p, p], dilation: [d, d]);
                                expected = y.shape;
                            }
                            catch (Exception)
                            {
                                // LibTorch refuses: the padded input is smaller than the dilated kernel.
                            }

                            bool same = expected is null ? actual is null : actual is not null && actual.SequenceEqual(expected);
                            if (!same && mismatches.Count < 5)
                            {
                                mismatches.Add($"H={h},W={h + 3},k={k},s={s},p={p},d={d}: reference {Show(actual)}, LibTorch {Show(expected)}");
                            }
                        }
                    }
                }
            }
        }

        return mismatches.Count == 0
            ? CaseResult.Pass(note: $"{checkedCount} configurations")
            : CaseResult.Fail($"{mismatches.Count}+ of {checkedCount} configurations differ", failingInputs: mismatches);
    }

    private static CaseResult SameGrid(Device device)
    {
        var mismatches = new List<string>();
        foreach (long h in new long[] { 8, 11 })
        {
            using Tensor input = torch.zeros([1, 2, h, h + 1], device: device);
            foreach (long k in new long[] { 2, 3, 4, 5 })
            {
                foreach (long d in new long[] { 1, 3 })
                {
                    if (d * (k - 1) >= h)
                    {
                        continue;
                    }

                    using var conv = nn.Conv2d(2, 3, k, Padding.Same, dilation: d, device: device);
                    using Tensor y = conv.forward(input);
                    long[] actual = [1, 3, ConvShape.OutputSize(h, k, "same", 1, d), ConvShape.OutputSize(h + 1, k, "same", 1, d)];
                    if (!actual.SequenceEqual(y.shape))
                    {
                        mismatches.Add($"H={h},k={k},d={d}: reference {Show(actual)}, LibTorch {Show(y.shape)}");
                    }
                }
            }
        }

        return CaseResult.Check(mismatches.Count == 0, string.Join("; ", mismatches.Take(5)));
    }

    private static CaseResult SameSplit(Device device)
    {
        var parts = new List<(string, CaseResult)>();
        foreach ((long k, long d) in new[] { (2L, 1L), (4L, 1L), (4L, 3L), (3L, 2L), (6L, 1L) })
        {
            Tensor x = LayerCaseKit.Randn(31, ScalarType.Float64, device, 1, 2, 12, 13);
            Tensor w = LayerCaseKit.Randn(32, ScalarType.Float64, device, 3, 2, k, k);
            Tensor same = nn.functional.conv2d_padding(x, w, padding: Padding.Same, dilation: [d, d]);
            (long before, long after) = ConvShape.SamePadding(k, d);
            Tensor padded = nn.functional.pad(x, [before, after, before, after]);
            Tensor valid = nn.functional.conv2d(padded, w, dilation: [d, d]);
            parts.Add(($"k={k},d={d} split ({before},{after})", Compare.Close(same, valid, Tolerance.For(ScalarType.Float64), what: "same conv")));
        }

        return LayerCaseKit.Combine([.. parts]);
    }

    private static CaseResult TransposedGrid(Device device)
    {
        var mismatches = new List<string>();
        int count = 0;
        foreach (long h in new long[] { 1, 4 })
        {
            using Tensor input = torch.zeros([1, 1, h, h], device: device);
            foreach (long k in new long[] { 1, 2, 3 })
            {
                using Tensor weight = torch.zeros([1, 1, k, k], device: device);
                foreach (long s in new long[] { 1, 2, 3 })
                {
                    foreach (long d in new long[] { 1, 2 })
                    {
                        foreach (long p in new long[] { 0, 1 })
                        {
                            for (long op = 0; op < Math.Max(s, d); op++)
                            {
                                long expectedSize = (h - 1) * s - 2 * p + d * (k - 1) + op + 1;
                                if (expectedSize <= 0)
                                {
                                    continue;
                                }

                                count++;
                                using Tensor y = nn.functional.conv_transpose2d(input, weight, strides: [s, s], padding: [p, p], output_padding: [op, op], dilation: [d, d]);
                                long actual = ConvShape.TransposedOutputSize(h, k, s, p, op, d);
                                if (y.shape[2] != actual && mismatches.Count < 5)
                                {
                                    mismatches.Add($"H={h},k={k},s={s},p={p},op={op},d={d}: reference {actual}, LibTorch {y.shape[2]}");
                                }
                            }
                        }
                    }
                }
            }
        }

        return mismatches.Count == 0 ? CaseResult.Pass(note: $"{count} configurations") : CaseResult.Fail("sizes differ", failingInputs: mismatches);
    }

    private static string Show(long[]? shape) => shape is null ? "error" : "[" + string.Join(", ", shape) + "]";
}
