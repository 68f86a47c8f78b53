namespace TorchFacade.Reference.Kernels.Simd;

/// <summary>
/// The lanes an operator is written against once and run at every width: <see cref="Simd512{T}"/>,
/// <see cref="Simd256{T}"/>, <see cref="Simd128{T}"/> and the one-lane <see cref="Scalar{T}"/> (the scalar tail and
/// the <see cref="KernelOptions.ScalarOnly"/> path), each over float or double lanes. Comparisons return masks
/// (all bits set where true) of the same type, for <see cref="Select"/>, <c>&amp;</c> and <c>|</c>.
/// </summary>
/// <typeparam name="TSelf">The implementing lane type.</typeparam>
internal unsafe interface ISimd<TSelf>
    where TSelf : struct, ISimd<TSelf>
{
    /// <summary>Gets the number of lanes.</summary>
    static abstract int Count { get; }

    /// <summary>Gets a value indicating whether this width runs in hardware here.</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>Gets a value indicating whether the lanes are doubles (else floats).</summary>
    static abstract bool IsDouble { get; }

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a);

    static abstract TSelf operator &(TSelf a, TSelf b);

    static abstract TSelf operator |(TSelf a, TSelf b);

    /// <summary>Every lane <paramref name="value"/>, rounded to the lane type.</summary>
    static abstract TSelf Create(double value);

    /// <summary>Reads <see cref="Count"/> elements of the lane type.</summary>
    static abstract TSelf Load(void* source);

    /// <summary>Reads <see cref="Count"/> floats into double lanes (double lanes only).</summary>
    static abstract TSelf LoadWidened(float* source);

    /// <summary>a·b + c, rounded once.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>|x|.</summary>
    static abstract TSelf Abs(TSelf x);

    /// <summary>√x, correctly rounded (one IEEE operation per lane).</summary>
    static abstract TSelf Sqrt(TSelf x);

    /// <summary>The larger of a and b per lane, NaN when either is NaN (<see cref="System.Math.Max(double, double)"/>'s rule).</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>|value| with the sign of <paramref name="sign"/>.</summary>
    static abstract TSelf CopySign(TSelf value, TSelf sign);

    /// <summary>To the nearest integer, ties to even.</summary>
    static abstract TSelf Round(TSelf x);

    /// <summary>x·2ⁿ for integral n of at most twice the largest exponent in size (in two exact steps).</summary>
    static abstract TSelf ScaleB(TSelf x, TSelf n);

    /// <summary>Mask of a &gt; b (false for NaN).</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    /// <summary>Mask of a &lt; b (false for NaN).</summary>
    static abstract TSelf LessThan(TSelf a, TSelf b);

    /// <summary>Mask of a &lt;= b (false for NaN).</summary>
    static abstract TSelf LessThanOrEqual(TSelf a, TSelf b);

    /// <summary>mask ? a : b per lane.</summary>
    static abstract TSelf Select(TSelf mask, TSelf a, TSelf b);

    /// <summary>A scalar function of double applied to each lane (for functions without a vector form here).</summary>
    static abstract TSelf Map(TSelf x, delegate*<double, double> f);

    /// <summary>The sum of the lanes, in lane order pairwise as the hardware adds them.</summary>
    static abstract double Sum(TSelf x);

    /// <summary>Writes the lanes.</summary>
    void Store(void* destination);

    /// <summary>Writes double lanes rounded to float (double lanes only).</summary>
    void StoreNarrowed(float* destination);
}
