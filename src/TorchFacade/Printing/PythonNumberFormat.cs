using System.Globalization;
using System.Numerics;

namespace TorchFacade.Printing;

/// <summary>
/// Python's float formatting (<c>f"{v:.4f}"</c>, <c>f"{v:.4e}"</c>, <c>repr(v)</c>) reproduced exactly: the decimal digits
/// are computed from the double's exact binary value and rounded half to even, as CPython does, so ties such as
/// <c>0.03125</c> → <c>"0.0312"</c> format the same in C# as in Python.
/// </summary>
public static class PythonNumberFormat
{
    /// <summary>Python's <c>format(value, f".{precision}f")</c>.</summary>
    /// <param name="value">The number.</param>
    /// <param name="precision">Digits after the decimal point (0 to 100).</param>
    /// <returns>For example <c>"0.5500"</c>, <c>"-0.0000"</c>, <c>"nan"</c>, <c>"inf"</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is outside 0 to 100.</exception>
    public static string Fixed(double value, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(precision);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, 100);
        if (NonFinite(value) is { } special)
        {
            return special;
        }

        (BigInteger num, BigInteger den) = Exact(Math.Abs(value));
        BigInteger scaled = RoundHalfEven(num * BigInteger.Pow(10, precision), den);
        string digits = scaled.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        string text = precision == 0 ? digits : digits[..^precision] + "." + digits[^precision..];
        return (double.IsNegative(value) ? "-" : string.Empty) + text;
    }

    /// <summary>Python's <c>format(value, f".{precision}e")</c>, e.g. <c>"1.2346e+05"</c> (at least two exponent digits).</summary>
    /// <param name="value">The number.</param>
    /// <param name="precision">Digits after the decimal point of the mantissa (0 to 100).</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is outside 0 to 100.</exception>
    public static string Scientific(double value, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(precision);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, 100);
        if (NonFinite(value) is { } special)
        {
            return special;
        }

        string sign = double.IsNegative(value) ? "-" : string.Empty;
        double a = Math.Abs(value);
        int exponent = 0;
        BigInteger mantissa = BigInteger.Zero;
        if (a != 0)
        {
            (BigInteger num, BigInteger den) = Exact(a);
            exponent = (int)Math.Floor(Math.Log10(a));
            BigInteger low = BigInteger.Pow(10, precision), high = low * 10;
            for (int attempt = 0; attempt < 4; attempt++)
            {
                int shift = exponent - precision;
                mantissa = shift >= 0
                    ? RoundHalfEven(num, den * BigInteger.Pow(10, shift))
                    : RoundHalfEven(num * BigInteger.Pow(10, -shift), den);
                if (mantissa >= high)
                {
                    exponent++;
                }
                else if (mantissa < low)
                {
                    exponent--;
                }
                else
                {
                    break;
                }
            }
        }

        string digits = mantissa.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        string body = precision == 0 ? digits : digits[..1] + "." + digits[1..];
        string exp = (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return sign + body + "e" + exp;
    }

    /// <summary>Python's <c>repr(value)</c> of a float: the shortest round-trip digits, fixed notation for 1e-4 ≤ |v| &lt; 1e16, else scientific (<c>1e-05</c>, <c>1e+16</c>); integers keep <c>.0</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>For example <c>"0.55"</c>, <c>"4.5"</c>, <c>"1.0"</c>, <c>"1e-05"</c>, <c>"nan"</c>.</returns>
    public static string Repr(double value)
    {
        if (NonFinite(value) is { } special)
        {
            return special;
        }

        string sign = double.IsNegative(value) ? "-" : string.Empty;
        double a = Math.Abs(value);
        if (a == 0)
        {
            return sign + "0.0";
        }

        // Shortest round-trip digits and the decimal exponent of the first digit.
        string shortest = a.ToString("R", CultureInfo.InvariantCulture);
        string mantissaPart = shortest, exponentPart = "0";
        int e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissaPart = shortest[..e];
            exponentPart = shortest[(e + 1)..];
        }

        int pointAt = mantissaPart.IndexOf('.', StringComparison.Ordinal);
        string intDigits = pointAt >= 0 ? mantissaPart[..pointAt] : mantissaPart;
        string fracDigits = pointAt >= 0 ? mantissaPart[(pointAt + 1)..] : string.Empty;
        string allDigits = (intDigits + fracDigits).TrimStart('0');
        int leadingZerosRemoved = (intDigits + fracDigits).Length - allDigits.Length;
        int decimalExponent = int.Parse(exponentPart, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) + intDigits.Length - 1 - leadingZerosRemoved;
        allDigits = allDigits.TrimEnd('0');
        if (allDigits.Length == 0)
        {
            allDigits = "0";
        }

        if (decimalExponent is >= -4 and < 16)
        {
            if (decimalExponent >= 0)
            {
                string whole = allDigits.Length > decimalExponent + 1 ? allDigits[..(decimalExponent + 1)] : allDigits.PadRight(decimalExponent + 1, '0');
                string frac = allDigits.Length > decimalExponent + 1 ? allDigits[(decimalExponent + 1)..] : "0";
                return sign + whole + "." + frac;
            }

            return sign + "0." + new string('0', -decimalExponent - 1) + allDigits;
        }

        string mant = allDigits.Length == 1 ? allDigits : allDigits[..1] + "." + allDigits[1..];
        return sign + mant + "e" + (decimalExponent < 0 ? "-" : "+") + Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string? NonFinite(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : null;

    /// <summary>The exact value of a finite non-negative double as num/den with den a power of two.</summary>
    private static (BigInteger Num, BigInteger Den) Exact(double a)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & ((1L << 52) - 1);
        long mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        int exponent = biased == 0 ? -1074 : biased - 1075;
        return exponent >= 0
            ? (new BigInteger(mantissa) << exponent, BigInteger.One)
            : (new BigInteger(mantissa), BigInteger.One << -exponent);
    }

    private static BigInteger RoundHalfEven(BigInteger num, BigInteger den)
    {
        BigInteger quotient = BigInteger.DivRem(num, den, out BigInteger remainder);
        BigInteger twice = remainder * 2;
        int cmp = twice.CompareTo(den);
        return cmp > 0 || (cmp == 0 && !quotient.IsEven) ? quotient + 1 : quotient;
    }
}
