namespace TorchFacade.Reference.Kernels.Simd;

/// <summary>
/// The transcendental functions of the kernel layer, each written once for every lane type (float or double lanes,
/// any width, the scalar tail included): exp, σ, tanh, log1p on [0, 1], softplus and erfc. Double lanes are accurate to a few
/// ulp of a double, float lanes to about one ulp of a float (erfc: a few), all with IEEE special values
/// (±∞, NaN, signed zeros) as LibTorch's kernels give them.
/// </summary>
internal static unsafe class LaneMath
{
    private const double Log2E = 1.4426950408889634;

    // Cody–Waite split of ln 2 (the high parts have enough trailing zero bits that n·high is exact).
    private const double Ln2HighFloat = 0.693359375;
    private const double Ln2LowFloat = -2.12194440e-4;
    private const double Ln2HighDouble = 6.93147180369123816490e-01;
    private const double Ln2LowDouble = 1.90821492927058770002e-10;

    // exp overflows to +∞ above ln(max) and underflows to 0 below ln(smallest subnormal).
    private const double ExpMaxFloat = 88.72283905206835;
    private const double ExpMinFloat = -103.97208;
    private const double ExpMaxDouble = 709.782712893384;
    private const double ExpMinDouble = -745.1332191019412;

    // Below |x| = 0.4 tanh is an odd Taylor polynomial: each term is at most 0.065 of the previous one, so 16 terms
    // reach double precision; above, 1 − 2/(exp(2|x|) + 1) has no cancellation.
    private const double TanhSeriesLimit = 0.4;

    /// <summary>e^x (Cody–Waite reduction to |r| ≤ ln2/2, a minimax polynomial for float, Taylor to degree 13 for double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<TV>(TV x)
        where TV : struct, ISimd<TV>
    {
        bool d = TV.IsDouble;
        TV n = TV.Round(x * TV.Create(Log2E));
        TV r = TV.FusedMultiplyAdd(n, TV.Create(d ? -Ln2HighDouble : -Ln2HighFloat), x);
        r = TV.FusedMultiplyAdd(n, TV.Create(d ? -Ln2LowDouble : -Ln2LowFloat), r);
        TV p;
        if (d)
        {
            p = TV.Create(1.0 / 6227020800.0);
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 479001600.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 39916800.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 3628800.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 362880.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 40320.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 5040.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 720.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 120.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 24.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.0 / 6.0));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(0.5));
        }
        else
        {
            p = TV.Create(1.9875691500E-4);
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.3981999507E-3));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(8.3334519073E-3));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(4.1665795894E-2));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(1.6666665459E-1));
            p = TV.FusedMultiplyAdd(p, r, TV.Create(5.0000001201E-1));
        }

        p = TV.FusedMultiplyAdd(p * r, r, r) + TV.Create(1.0);
        TV e = TV.ScaleB(p, n);
        e = TV.Select(TV.GreaterThan(x, TV.Create(d ? ExpMaxDouble : ExpMaxFloat)), TV.Create(double.PositiveInfinity), e);
        return TV.Select(TV.LessThan(x, TV.Create(d ? ExpMinDouble : ExpMinFloat)), TV.Create(0.0), e);
    }

    /// <summary>σ(x) = 1/(1 + e^(−x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid<TV>(TV x)
        where TV : struct, ISimd<TV> => TV.Create(1.0) / (TV.Create(1.0) + Exp(-x));

    /// <summary>
    /// tanh(x): the odd Taylor series below |x| = 0.4, 1 − 2/(e^(2|x|) + 1) above, with the sign of x (so
    /// tanh(−0) = −0). In double lanes this is within a few double ulp, so float inputs evaluated in double lanes
    /// round to the correctly rounded float almost always.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh<TV>(TV x)
        where TV : struct, ISimd<TV>
    {
        TV ax = TV.Abs(x);
        TV x2 = x * x;

        // The odd Taylor coefficients of tanh (x, x³, …, x³¹): (k+1)·a[k+1] = [k = 0] − Σ a[i]·a[k−i].
        TV p = TV.Create(-1.059726832010465E-06);
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(2.6147711512907542E-06));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(-6.451689215655431E-06));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(1.591890506932896E-05));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(-3.927832388331683E-05));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(9.69153795692945E-05));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(-0.00023912911424355242));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(0.000590027440945586));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(-0.0014558343870513181));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(0.0035921280365724807));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(-0.008863235529902196));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(0.021869488536155203));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(-0.053968253968253964));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(0.13333333333333333));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(-0.3333333333333333));
        p = TV.FusedMultiplyAdd(p, x2, TV.Create(1));

        TV one = TV.Create(1.0);
        TV large = one - (TV.Create(2.0) / (Exp(ax + ax) + one));
        TV r = TV.Select(TV.LessThan(ax, TV.Create(TanhSeriesLimit)), p * ax, large);
        return TV.CopySign(r, x);
    }

    /// <summary>log(1 + u) for 0 ≤ u ≤ 1 (and NaN), as 2·atanh(u/(2 + u)) summed without cancellation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Log1PUnit<TV>(TV u)
        where TV : struct, ISimd<TV>
    {
        // log1p(u) = 2·atanh(s), s = u/(2 + u) ≤ 1/3 for u ≤ 1: terms s^(2k+1)/(2k+1) fall by 1/9 each (8 terms
        // for float lanes, 17 for double lanes).
        TV s = u / (TV.Create(2.0) + u);
        TV s2 = s * s;
        TV p;
        if (TV.IsDouble)
        {
            p = TV.Create(1.0 / 35);
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 33));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 31));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 29));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 27));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 25));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 23));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 21));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 19));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 17));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 15));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 13));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 11));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 9));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 7));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 5));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 3));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 1));
        }
        else
        {
            p = TV.Create(1.0 / 17);
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 15));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 13));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 11));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 9));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 7));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 5));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 3));
            p = TV.FusedMultiplyAdd(p, s2, TV.Create(1.0 / 1));
        }

        return (s + s) * p;
    }

    /// <summary>softplus(z) = log(1 + e^z) as max(z, 0) + log1p(e^(−|z|)): no overflow, NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Softplus<TV>(TV z)
        where TV : struct, ISimd<TV> =>
        TV.Select(TV.GreaterThan(z, TV.Create(0.0)), z, TV.Create(0.0)) + Log1PUnit(Exp(-TV.Abs(z)));

    /// <summary>
    /// erfc(z) = 1 − erf(z). Double lanes: <see cref="ErrorFunction.Erfc"/> per lane (the definition, shared with the
    /// oracle). Float lanes: the erfcc fit t·exp(−z² + P(t)) for |z|, reflected as 2 − erfc(|z|) for z &lt; 0.
    /// Two implementations on purpose: one Chebyshev series of log(erfc(z)/t) + z² (t = 2/(2 + z); 28 terms for double
    /// lanes, the first 12 for float lanes) was tried and is accurate enough for both, but its Clenshaw sum costs two
    /// operations a term, and in KernelBenchmarks (1M float32, one thread, loaded machine) it made float exact GELU
    /// 1.7× slower forward (6.07 vs 3.54 ms) and 7× slower backward (40.5 vs 5.6 ms, where the JIT stopped inlining).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Erfc<TV>(TV z)
        where TV : struct, ISimd<TV>
    {
        if (TV.IsDouble)
        {
            return TV.Map(z, &ErrorFunction.Erfc);
        }

        TV az = TV.Abs(z);
        TV t = TV.Create(1.0) / TV.FusedMultiplyAdd(az, TV.Create(0.5), TV.Create(1.0));

        // erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2), z ≥ 0: the Chebyshev fit of Numerical Recipes (erfcc),
        // relative error below 1.2e-7 everywhere, so float tails are accurate relative to their size.
        TV p = TV.Create(0.17087277);
        p = TV.FusedMultiplyAdd(p, t, TV.Create(-0.82215223));
        p = TV.FusedMultiplyAdd(p, t, TV.Create(1.48851587));
        p = TV.FusedMultiplyAdd(p, t, TV.Create(-1.13520398));
        p = TV.FusedMultiplyAdd(p, t, TV.Create(0.27886807));
        p = TV.FusedMultiplyAdd(p, t, TV.Create(-0.18628806));
        p = TV.FusedMultiplyAdd(p, t, TV.Create(0.09678418));
        p = TV.FusedMultiplyAdd(p, t, TV.Create(0.37409196));
        p = TV.FusedMultiplyAdd(p, t, TV.Create(1.00002368));
        p = TV.FusedMultiplyAdd(p, t, TV.Create(-1.26551223));

        TV r = t * Exp(p - (az * az));
        return TV.Select(TV.LessThan(z, TV.Create(0.0)), TV.Create(2.0) - r, r);
    }
}
