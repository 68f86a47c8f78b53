namespace TorchFacade.Conformance;

/// <summary>What a comparison measured: the worst absolute, relative and ULP distance over all elements.</summary>
/// <param name="MaxAbsError">Largest |actual − expected| over finite elements.</param>
/// <param name="MaxRelError">Largest |actual − expected| / |expected| over finite elements with expected ≠ 0.</param>
/// <param name="MaxUlp">
/// Largest distance in units in the last place of the compared dtype (floating dtypes only, else <see langword="null"/>),
/// over the finite elements whose expected magnitude is at least the tolerance's atol: below it the absolute error
/// governs, and next to zero a negligible absolute difference spans millions of ulp.
/// </param>
/// <param name="Elements">How many elements were compared.</param>
public sealed record Figures(double MaxAbsError, double MaxRelError, double? MaxUlp, long Elements)
{
    /// <inheritdoc />
    public override string ToString() => ReportText.Figures(this);
}
