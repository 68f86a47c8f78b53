using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Testing;

/// <summary>
/// <c>torch.testing.assert_close</c> for TorchSharp tensors, usable in your own tests: values are close when
/// |actual − expected| ≤ atol + rtol·|expected| element-wise, with PyTorch's default tolerances per dtype
/// (float64 1e-7/1e-7, float32 1.3e-6/1e-5, float16 1e-3/1e-5, bfloat16 1.6e-2/1e-5; integers and bool exact).
/// </summary>
public static class AssertClose
{
    /// <summary>PyTorch's default (rtol, atol) for <paramref name="dtype"/>.</summary>
    /// <param name="dtype">The dtype compared.</param>
    /// <returns>The default tolerances.</returns>
    public static (double Rtol, double Atol) DefaultTolerances(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.ComplexFloat64 => (1e-7, 1e-7),
        ScalarType.Float32 or ScalarType.ComplexFloat32 => (1.3e-6, 1e-5),
        ScalarType.Float16 => (1e-3, 1e-5),
        ScalarType.BFloat16 => (1.6e-2, 1e-5),
        _ => (0, 0),
    };

    /// <summary>
    /// Throws unless <paramref name="actual"/> and <paramref name="expected"/> have the same shape (and, by default,
    /// dtype and device) and close values. Tolerances default to PyTorch's for the dtype; pass both or neither.
    /// </summary>
    /// <param name="actual">The tensor under test.</param>
    /// <param name="expected">The reference tensor.</param>
    /// <param name="rtol">Relative tolerance (requires <paramref name="atol"/> too).</param>
    /// <param name="atol">Absolute tolerance (requires <paramref name="rtol"/> too).</param>
    /// <param name="equalNan">Whether NaN equals NaN (PyTorch's default: <see langword="false"/>).</param>
    /// <param name="checkDtype">Whether the dtypes must match (default <see langword="true"/>).</param>
    /// <param name="checkDevice">Whether the devices must match (default <see langword="true"/>).</param>
    /// <exception cref="ArgumentNullException">A tensor is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Only one of <paramref name="rtol"/> and <paramref name="atol"/> was given, one is negative, or a tensor is complex.</exception>
    /// <exception cref="AssertCloseException">The tensors are not close; the message names the worst element.</exception>
    public static void Check(Tensor actual, Tensor expected, double? rtol = null, double? atol = null, bool equalNan = false, bool checkDtype = true, bool checkDevice = true)
    {
        string? failure = Explain(actual, expected, rtol, atol, equalNan, checkDtype, checkDevice);
        if (failure is not null)
        {
            throw new AssertCloseException(failure);
        }
    }

    /// <summary>Like <see cref="Check"/>, but returns <see langword="null"/> when close and the failure message otherwise.</summary>
    /// <param name="actual">The tensor under test.</param>
    /// <param name="expected">The reference tensor.</param>
    /// <param name="rtol">Relative tolerance (requires <paramref name="atol"/> too).</param>
    /// <param name="atol">Absolute tolerance (requires <paramref name="rtol"/> too).</param>
    /// <param name="equalNan">Whether NaN equals NaN.</param>
    /// <param name="checkDtype">Whether the dtypes must match.</param>
    /// <param name="checkDevice">Whether the devices must match.</param>
    /// <returns><see langword="null"/>, or why the tensors are not close.</returns>
    /// <exception cref="ArgumentNullException">A tensor is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Only one of <paramref name="rtol"/> and <paramref name="atol"/> was given, one is negative, or a tensor is complex.</exception>
    public static string? Explain(Tensor actual, Tensor expected, double? rtol = null, double? atol = null, bool equalNan = false, bool checkDtype = true, bool checkDevice = true)
    {
        TestingChecks.ThrowIfNullOrDisposed(actual, "AssertClose");
        TestingChecks.ThrowIfNullOrDisposed(expected, "AssertClose");
        if (rtol.HasValue != atol.HasValue)
        {
            throw new ArgumentException($"AssertClose: Both 'rtol' and 'atol' must be either specified or omitted, but got no {(rtol.HasValue ? "atol" : "rtol")}; pass both or neither (as in torch.testing.assert_close).");
        }

        if (rtol < 0 || atol < 0)
        {
            throw new ArgumentException($"AssertClose: tolerances must be non-negative (rtol={rtol}, atol={atol}); pass rtol >= 0 and atol >= 0.");
        }

        if (actual.is_complex() || expected.is_complex())
        {
            throw new ArgumentException($"AssertClose: the tensor '{(actual.is_complex() ? "actual" : "expected")}' is complex, and AssertClose compares real tensors; compare the real and imaginary parts (torch.view_as_real) separately.");
        }

        if (!actual.shape.SequenceEqual(expected.shape))
        {
            return $"The values for attribute 'shape' do not match: [{string.Join(", ", actual.shape)}] != [{string.Join(", ", expected.shape)}].";
        }

        if (checkDtype && actual.dtype != expected.dtype)
        {
            return $"The values for attribute 'dtype' do not match: {actual.dtype} != {expected.dtype}.";
        }

        if (checkDevice && actual.device.ToString() != expected.device.ToString())
        {
            return $"The values for attribute 'device' do not match: {actual.device} != {expected.device}.";
        }

        (double r, double a) = rtol.HasValue ? (rtol.Value, atol!.Value) : Looser(DefaultTolerances(actual.dtype), DefaultTolerances(expected.dtype));
        double[] av = ToDoubles(actual), ev = ToDoubles(expected);
        long mismatched = 0;
        int worstAbsAt = -1, worstRelAt = -1;
        double worstAbs = 0, worstRel = 0;
        for (int i = 0; i < av.Length; i++)
        {
            double x = av[i], y = ev[i];
            bool close;
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                close = equalNan && double.IsNaN(x) && double.IsNaN(y);
            }
            else if (double.IsInfinity(x) || double.IsInfinity(y))
            {
                close = x == y;
            }
            else
            {
                close = Math.Abs(x - y) <= a + (r * Math.Abs(y));
            }

            if (close)
            {
                continue;
            }

            mismatched++;
            double abs = double.IsNaN(x - y) ? double.NaN : Math.Abs(x - y);
            double rel = y == 0 ? double.PositiveInfinity : abs / Math.Abs(y);
            if (worstAbsAt < 0 || abs > worstAbs || double.IsNaN(abs))
            {
                worstAbs = abs;
                worstAbsAt = i;
            }

            if (worstRelAt < 0 || rel > worstRel || double.IsNaN(rel))
            {
                worstRel = rel;
                worstRelAt = i;
            }
        }

        if (mismatched == 0)
        {
            return null;
        }

        var text = new StringBuilder("Tensor-likes are not close!").AppendLine().AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Mismatched elements: {mismatched} / {av.Length} ({100.0 * mismatched / av.Length:0.0}%)").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Greatest absolute difference: {worstAbs:R} at index {Index(actual.shape, worstAbsAt)} (up to {a:R} allowed; actual {av[worstAbsAt]:R}, expected {ev[worstAbsAt]:R})").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Greatest relative difference: {worstRel:R} at index {Index(actual.shape, worstRelAt)} (up to {r:R} allowed)");
        return text.ToString();
    }

    private static (double, double) Looser((double R, double A) x, (double R, double A) y) => (Math.Max(x.R, y.R), Math.Max(x.A, y.A));

    private static double[] ToDoubles(Tensor t)
    {
        if (t.numel() == 0)
        {
            return []; // TorchSharp's TensorAccessor.ToArray throws on empty tensors
        }

        using var scope = NewDisposeScope(); // the intermediate copies are disposed with it
        return t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    private static string Index(long[] shape, int flat)
    {
        if (shape.Length == 0)
        {
            return "()";
        }

        var index = new long[shape.Length];
        long rest = flat;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }

        return "(" + string.Join(", ", index) + ")";
    }
}
