namespace TorchFacade.Conformance;

/// <summary>
/// Element-wise comparison of two tensors, in the sense of <c>torch.testing.assert_close</c>, that also measures the
/// figures every report shows (max abs/rel error, max ULP in the compared dtype).
/// </summary>
public static class Compare
{
    private const int MaxFailuresListed = 5;

    /// <summary>
    /// Compares <paramref name="actual"/> with <paramref name="expected"/> (same shape; any device and dtype; values are
    /// read as <see cref="double"/> on the CPU). NaN matches NaN, infinities must match exactly.
    /// </summary>
    /// <param name="actual">The values under test.</param>
    /// <param name="expected">The reference values.</param>
    /// <param name="tolerance">The tolerance.</param>
    /// <param name="input">Optionally the input that produced them (same element count), listed with failing elements.</param>
    /// <param name="what">A word for the compared quantity in messages ("forward", "grad", ...).</param>
    /// <returns>Pass with figures, or fail with figures and the first few failing elements.</returns>
    public static CaseResult Close(torch.Tensor actual, torch.Tensor expected, Tolerance tolerance, torch.Tensor? input = null, string what = "values")
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(tolerance);
        if (!actual.shape.SequenceEqual(expected.shape))
        {
            return CaseResult.Fail($"{what}: shape [{string.Join(", ", actual.shape)}] differs from expected [{string.Join(", ", expected.shape)}]");
        }

        double[] a = ToDoubles(actual);
        double[] e = ToDoubles(expected);
        double[]? x = input is not null && input.numel() == actual.numel() ? ToDoubles(input) : null;
        return Close(a, e, tolerance, actual.dtype, x, what);
    }

    /// <summary>Compares two arrays of values that were computed in <paramref name="dtype"/>.</summary>
    /// <param name="actual">The values under test.</param>
    /// <param name="expected">The reference values.</param>
    /// <param name="tolerance">The tolerance.</param>
    /// <param name="dtype">The dtype the values live in (for the ULP figure).</param>
    /// <param name="input">Optionally the inputs, listed with failing elements.</param>
    /// <param name="what">A word for the compared quantity in messages.</param>
    /// <returns>Pass with figures, or fail with figures and the first few failing elements.</returns>
    public static CaseResult Close(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, Tolerance tolerance, torch.ScalarType dtype, double[]? input = null, string what = "values")
    {
        ArgumentNullException.ThrowIfNull(tolerance);
        if (actual.Length != expected.Length)
        {
            return CaseResult.Fail($"{what}: {actual.Length} elements, expected {expected.Length}");
        }

        double maxAbs = 0, maxRel = 0, maxUlp = 0;
        var failures = new List<string>();
        long failed = 0;
        bool floating = dtype is torch.ScalarType.Float32 or torch.ScalarType.Float64 or torch.ScalarType.Float16 or torch.ScalarType.BFloat16;
        for (int i = 0; i < actual.Length; i++)
        {
            double av = actual[i], ev = expected[i];
            if (double.IsFinite(av) && double.IsFinite(ev))
            {
                double abs = Math.Abs(av - ev);
                maxAbs = Math.Max(maxAbs, abs);
                if (ev != 0)
                {
                    maxRel = Math.Max(maxRel, abs / Math.Abs(ev));
                }

                // ULPs only where relative accuracy is what the tolerance asks for: below atol the absolute error
                // governs, and near zero a tiny absolute difference spans hundreds of millions of ulp.
                if (floating && (tolerance.Atol == 0 || Math.Abs(ev) >= tolerance.Atol))
                {
                    maxUlp = Math.Max(maxUlp, Ulp.Distance(av, ev, dtype));
                }
            }

            if (!tolerance.IsClose(av, ev))
            {
                failed++;
                if (failures.Count < MaxFailuresListed)
                {
                    string inputText = input is not null ? $"x={input[i]:R} → " : string.Empty;
                    failures.Add($"[{i}] {inputText}actual {av:R} vs expected {ev:R}");
                }
            }
        }

        var figures = new Figures(maxAbs, maxRel, floating ? maxUlp : null, actual.Length);
        return failed == 0
            ? CaseResult.Pass(figures)
            : CaseResult.Fail($"{what}: {failed} of {actual.Length} elements outside {tolerance}", figures, failures);
    }

    /// <summary>Reads any tensor's values as <see cref="double"/> (copied to the CPU; complex tensors are rejected).</summary>
    /// <param name="t">The tensor.</param>
    /// <returns>The values in row-major order.</returns>
    public static double[] ToDoubles(torch.Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.numel() == 0)
        {
            return []; // TorchSharp's TensorAccessor.ToArray throws on empty tensors
        }

        using var cpu = t.detach().to(torch.CPU).to(torch.ScalarType.Float64).contiguous();
        return cpu.data<double>().ToArray();
    }
}
