using System.Globalization;

namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// Python's arithmetic where it differs from C#'s, so that the schedulers compute exactly what PyTorch's Python code
/// computes: floor division and modulo with the sign of the divisor, and <c>ZeroDivisionError</c> for a division by zero
/// (which in C# would silently give an infinity or NaN).
/// </summary>
internal static class PyMath
{
    /// <summary>Python's <c>a / b</c> on floats: raises on a zero divisor.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <param name="member">The scheduler member that computes it (<c>StepLR.Step</c>), for the message's first word.</param>
    /// <param name="what">What was being computed, for the message.</param>
    /// <param name="fix">What the caller should change, for the message.</param>
    /// <returns>The quotient.</returns>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is zero (Python: <c>ZeroDivisionError: float division by zero</c>).</exception>
    public static double Div(double a, double b, string member, string what, string fix) =>
        b == 0 ? throw Zero(member, "float division by zero", what, $"{Py(a)} / {Py(b)}", fix) : a / b;

    /// <summary>Python's <c>a % b</c> on ints (the result has the sign of <paramref name="b"/>).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <param name="member">The scheduler member that computes it (<c>StepLR.Step</c>), for the message's first word.</param>
    /// <param name="what">What was being computed, for the message.</param>
    /// <param name="fix">What the caller should change, for the message.</param>
    /// <returns>The remainder.</returns>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is zero (Python: <c>integer modulo by zero</c>).</exception>
    public static long Mod(long a, long b, string member, string what, string fix)
    {
        if (b == 0)
        {
            throw Zero(member, "integer modulo by zero", what, $"{a} % {b}", fix);
        }

        long r = a % b;
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
    }

    /// <summary>Python's <c>a % b</c> on floats (the result has the sign of <paramref name="b"/>).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <param name="member">The scheduler member that computes it (<c>StepLR.Step</c>), for the message's first word.</param>
    /// <param name="what">What was being computed, for the message.</param>
    /// <param name="fix">What the caller should change, for the message.</param>
    /// <returns>The remainder.</returns>
    public static double Mod(double a, double b, string member, string what, string fix)
    {
        if (b == 0)
        {
            throw Zero(member, "float modulo", what, $"{Py(a)} % {Py(b)}", fix);
        }

        double r = a % b;
        if (r != 0)
        {
            if ((b < 0) != (r < 0))
            {
                r += b;
            }
        }
        else
        {
            r = b < 0 ? -0.0 : 0.0;
        }

        return r;
    }

    /// <summary>Python's <c>a // b</c> on ints (rounds toward negative infinity).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <param name="member">The scheduler member that computes it (<c>StepLR.Step</c>), for the message's first word.</param>
    /// <param name="what">What was being computed, for the message.</param>
    /// <param name="fix">What the caller should change, for the message.</param>
    /// <returns>The floor of the quotient.</returns>
    public static long FloorDiv(long a, long b, string member, string what, string fix)
    {
        if (b == 0)
        {
            throw Zero(member, "integer division or modulo by zero", what, $"{a} // {b}", fix);
        }

        long q = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
    }

    /// <summary>Python's <c>x ** y</c> on floats: C's <c>pow</c>, but raising where Python raises.</summary>
    /// <param name="x">The base.</param>
    /// <param name="y">The exponent.</param>
    /// <param name="member">The scheduler member that computes it (<c>StepLR.Step</c>), for the message's first word.</param>
    /// <param name="what">What was being computed, for the message.</param>
    /// <param name="fix">What the caller should change, for the message.</param>
    /// <returns>The power.</returns>
    /// <exception cref="DivideByZeroException"><paramref name="x"/> is zero and <paramref name="y"/> negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is negative and <paramref name="y"/> not an integer (Python would return a complex number).</exception>
    public static double Pow(double x, double y, string member, string what, string fix)
    {
        if (x == 0 && y < 0)
        {
            throw Zero(member, "0.0 cannot be raised to a negative power", what, $"{Py(x)} ** {Py(y)}", fix);
        }

        if (x < 0 && double.IsFinite(x) && double.IsFinite(y) && Math.Floor(y) != y)
        {
            throw new ArgumentException($"{member}: a negative number raised to a non-integer power is complex in Python, not a learning rate: {what} = {Py(x)} ** {Py(y)}. {fix}");
        }

        return Math.Pow(x, y);
    }

    /// <summary>Python's <c>ZeroDivisionError</c> as <see cref="DivideByZeroException"/>: the member, Python's words, the expression with its values, and the fix.</summary>
    private static DivideByZeroException Zero(string member, string python, string what, string values, string fix) =>
        new($"{member}: {python} computing {what} = {values} (PyTorch raises ZeroDivisionError here). {fix}");

    /// <summary>A float as Python's <c>repr</c> writes it (<c>0.0</c>, <c>1e-05</c>, <c>inf</c>).</summary>
    private static string Py(double v) =>
        double.IsNaN(v) ? "nan" : double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf")
        : v == Math.Floor(v) && Math.Abs(v) < 1e16 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Python's <c>bisect.bisect_right</c>: the number of items of the sorted list that are ≤ <paramref name="x"/>.</summary>
    /// <param name="sorted">An ascending list.</param>
    /// <param name="x">The value.</param>
    /// <returns>The insertion index after any equal items.</returns>
    public static int BisectRight(IReadOnlyList<int> sorted, int x)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (x < sorted[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }
}
