namespace TorchFacade.Reference.Kernels;

/// <summary>
/// The error function in double precision, written out (.NET has no <c>Math.Erf</c>): the all-positive series
/// erf(z) = 2/√π · e^(−z²) · Σ (2z²)ⁿ z / (2n+1)!! for |z| &lt; 2.5, and the continued fraction of erfc beyond.
/// Both are accurate to a few units in the last place of a double.
/// </summary>
internal static class ErrorFunction
{
    private const double TwoOverSqrtPi = 1.1283791670955125738961589031215;
    private const double OneOverSqrtPi = 0.56418958354775628694807945156077;
    private const double SeriesLimit = 2.5;

    /// <summary>erf(z) = 2/√π ∫₀^z e^(−t²) dt. erf(±∞) = ±1, erf(NaN) = NaN, erf(−0) = −0.</summary>
    /// <param name="z">The argument.</param>
    /// <returns>erf(z).</returns>
    public static double Erf(double z)
    {
        if (double.IsNaN(z))
        {
            return z;
        }

        double a = Math.Abs(z);
        if (a < SeriesLimit)
        {
            return Series(z);
        }

        double r = 1.0 - ErfcPositive(a);
        return z < 0 ? -r : r;
    }

    /// <summary>erfc(z) = 1 − erf(z), without cancellation for large positive z.</summary>
    /// <param name="z">The argument.</param>
    /// <returns>erfc(z).</returns>
    public static double Erfc(double z)
    {
        if (double.IsNaN(z))
        {
            return z;
        }

        if (Math.Abs(z) < SeriesLimit)
        {
            return 1.0 - Series(z);
        }

        return z > 0 ? ErfcPositive(z) : 2.0 - ErfcPositive(-z);
    }

    private static double Series(double z)
    {
        double twoZ2 = 2 * z * z;
        double term = z, sum = z;
        for (int n = 1; n < 200; n++)
        {
            term *= twoZ2 / ((2 * n) + 1);
            sum += term;
            if (Math.Abs(term) <= Math.Abs(sum) * 1e-17)
            {
                break;
            }
        }

        return TwoOverSqrtPi * Math.Exp(-z * z) * sum;
    }

    // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...))))), z ≥ 2.5, by the modified Lentz method.
    private static double ErfcPositive(double z)
    {
        if (double.IsPositiveInfinity(z) || z > 27.3)
        {
            return 0.0;
        }

        const double tiny = 1e-300;
        double f = z, c = z, d = 0;
        for (int n = 1; n < 500; n++)
        {
            double an = n * 0.5;
            d = z + (an * d);
            d = d == 0 ? tiny : d;
            c = z + (an / c);
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return OneOverSqrtPi * Math.Exp(-z * z) / f;
    }
}
