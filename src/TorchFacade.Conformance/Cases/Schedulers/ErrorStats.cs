namespace TorchFacade.Conformance.Cases.Schedulers;

/// <summary>The worst absolute and relative error over a run of float comparisons, and how many there were.</summary>
internal sealed class ErrorStats
{
    /// <summary>Largest |actual − expected|.</summary>
    public double MaxAbs { get; private set; }

    /// <summary>Largest |actual − expected| / |expected| (over expected ≠ 0).</summary>
    public double MaxRel { get; private set; }

    /// <summary>How many values were compared.</summary>
    public long Count { get; private set; }

    /// <summary>Records one comparison.</summary>
    /// <param name="actual">The C# value.</param>
    /// <param name="expected">PyTorch's value.</param>
    /// <param name="rtol">The relative tolerance (an expected 0 must be matched exactly).</param>
    /// <returns>Whether the value is within the tolerance (NaN matches NaN, infinities must be equal).</returns>
    public bool Add(double actual, double expected, double rtol)
    {
        Count++;
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return actual == expected;
        }

        double abs = Math.Abs(actual - expected);
        MaxAbs = Math.Max(MaxAbs, abs);
        if (expected != 0)
        {
            MaxRel = Math.Max(MaxRel, abs / Math.Abs(expected));
        }

        return abs <= rtol * Math.Abs(expected);
    }

    /// <summary>The figures for a conformance report.</summary>
    /// <returns>The figures.</returns>
    public Figures ToFigures() => new(MaxAbs, MaxRel, null, Count);
}
