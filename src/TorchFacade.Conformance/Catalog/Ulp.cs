namespace TorchFacade.Conformance;

/// <summary>Distances in units in the last place, measured in the dtype the values were computed in.</summary>
internal static class Ulp
{
    /// <summary>
    /// The number of representable values of <paramref name="dtype"/> between <paramref name="a"/> and
    /// <paramref name="b"/> (0 when equal, 1 for neighbours; ±0 are equal). Both are rounded to the dtype first.
    /// </summary>
    /// <param name="a">One value.</param>
    /// <param name="b">The other value.</param>
    /// <param name="dtype">float64, float32, float16 or bfloat16.</param>
    /// <returns>The ULP distance, or <see cref="double.PositiveInfinity"/> when one is NaN and the other is not.</returns>
    public static double Distance(double a, double b, torch.ScalarType dtype)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b) ? 0 : double.PositiveInfinity;
        }

        return dtype switch
        {
            torch.ScalarType.Float64 => Math.Abs((double)(Ordered(BitConverter.DoubleToInt64Bits(a)) - (double)Ordered(BitConverter.DoubleToInt64Bits(b)))),
            torch.ScalarType.Float32 => Math.Abs((long)Ordered(BitConverter.SingleToInt32Bits((float)a)) - Ordered(BitConverter.SingleToInt32Bits((float)b))),
            torch.ScalarType.Float16 => Math.Abs(Ordered16(BitConverter.HalfToInt16Bits((Half)a)) - Ordered16(BitConverter.HalfToInt16Bits((Half)b))),
            torch.ScalarType.BFloat16 => Math.Abs(Ordered16(BFloat16Bits(a)) - Ordered16(BFloat16Bits(b))),
            _ => Math.Abs(a - b),
        };
    }

    private static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    private static int Ordered(int bits) => bits < 0 ? int.MinValue - bits : bits;

    private static int Ordered16(short bits) => bits < 0 ? short.MinValue - bits : bits;

    // bfloat16 is the upper half of a float32, rounded to nearest even.
    private static short BFloat16Bits(double value)
    {
        uint bits = (uint)BitConverter.SingleToInt32Bits((float)value);
        uint rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return (short)((bits + rounding) >> 16);
    }
}
