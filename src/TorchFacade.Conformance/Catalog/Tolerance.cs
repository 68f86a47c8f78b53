namespace TorchFacade.Conformance;

/// <summary>
/// A closeness tolerance in the sense of <c>torch.testing.assert_close</c>: <c>|actual − expected| ≤ atol + rtol·|expected|</c>,
/// with the reason it was chosen. Start from <see cref="For(torch.ScalarType)"/> (PyTorch's defaults) and widen only with a reason.
/// </summary>
/// <param name="Rtol">Relative tolerance.</param>
/// <param name="Atol">Absolute tolerance.</param>
/// <param name="Reason">Why this tolerance is right for the comparison (shown in reports).</param>
public sealed record Tolerance(double Rtol, double Atol, string Reason)
{
    /// <summary>Bit-for-bit equality (NaN equals NaN), for results that must be identical.</summary>
    /// <param name="reason">Why the results must be identical.</param>
    /// <returns>A zero tolerance.</returns>
    public static Tolerance Exact(string reason) => new(0, 0, reason);

    /// <summary>
    /// PyTorch's <c>torch.testing.assert_close</c> defaults for <paramref name="dtype"/>: float64 rtol 1e-7/atol 1e-7,
    /// float32 1.3e-6/1e-5, float16 1e-3/1e-5, bfloat16 1.6e-2/1e-5; integers and bool exact.
    /// </summary>
    /// <param name="dtype">The dtype the compared values are in.</param>
    /// <returns>The default tolerance for that dtype.</returns>
    public static Tolerance For(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float64 or torch.ScalarType.ComplexFloat64 => new(1e-7, 1e-7, "assert_close default for float64"),
        torch.ScalarType.Float32 or torch.ScalarType.ComplexFloat32 => new(1.3e-6, 1e-5, "assert_close default for float32"),
        torch.ScalarType.Float16 => new(1e-3, 1e-5, "assert_close default for float16"),
        torch.ScalarType.BFloat16 => new(1.6e-2, 1e-5, "assert_close default for bfloat16"),
        _ => Exact("integer and bool values compare exactly"),
    };

    /// <summary>A wider tolerance, with the reason written next to it.</summary>
    /// <param name="rtol">The new relative tolerance.</param>
    /// <param name="atol">The new absolute tolerance.</param>
    /// <param name="reason">Why the default is too tight for this comparison.</param>
    /// <returns>The widened tolerance.</returns>
    public Tolerance Widen(double rtol, double atol, string reason) => new(rtol, atol, reason);

    /// <summary>Whether <paramref name="actual"/> is close to <paramref name="expected"/> (NaN matches NaN; infinities must match exactly).</summary>
    /// <param name="actual">The value under test.</param>
    /// <param name="expected">The reference value.</param>
    /// <returns><see langword="true"/> when within tolerance.</returns>
    public bool IsClose(double actual, double expected)
    {
        if (double.IsNaN(actual) || double.IsNaN(expected))
        {
            return double.IsNaN(actual) && double.IsNaN(expected);
        }

        if (double.IsInfinity(actual) || double.IsInfinity(expected))
        {
            return actual == expected;
        }

        return Math.Abs(actual - expected) <= Atol + (Rtol * Math.Abs(expected));
    }

    /// <inheritdoc />
    public override string ToString() => $"rtol={ReportText.Error(Rtol)}, atol={ReportText.Error(Atol)} ({Reason})";
}
