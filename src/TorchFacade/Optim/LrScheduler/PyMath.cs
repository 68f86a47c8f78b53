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
    /// <param name="what">What was being computed, for the message.</param>
    /// <returns>The quotient.</returns>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is zero (Python: <c>ZeroDivisionError: float division by zero</c>).</exception>
    public static double Div(double a, double b, string what) =>
        b == 0 ? throw new DivideByZeroException($"float division by zero (PyTorch raises ZeroDivisionError here) while computing {what}; check the scheduler's arguments.") : a / b;

    /// <summary>Python's <c>a % b</c> on ints (the result has the sign of <paramref name="b"/>).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <param name="what">What was being computed, for the message.</param>
    /// <returns>The remainder.</returns>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is zero (Python: <c>integer modulo by zero</c>).</exception>
    public static long Mod(long a, long b, string what)
    {
        if (b == 0)
        {
            throw new DivideByZeroException($"integer modulo by zero (PyTorch raises ZeroDivisionError here) while computing {what}; check the scheduler's arguments.");
        }

        long r = a % b;
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
    }

    /// <summary>Python's <c>a % b</c> on floats (the result has the sign of <paramref name="b"/>).</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <param name="what">What was being computed, for the message.</param>
    /// <returns>The remainder.</returns>
    public static double Mod(double a, double b, string what)
    {
        if (b == 0)
        {
            throw new DivideByZeroException($"float modulo (PyTorch raises ZeroDivisionError here) while computing {what}; check the scheduler's arguments.");
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
    /// <param name="what">What was being computed, for the message.</param>
    /// <returns>The floor of the quotient.</returns>
    public static long FloorDiv(long a, long b, string what)
    {
        if (b == 0)
        {
            throw new DivideByZeroException($"integer division or modulo by zero (PyTorch raises ZeroDivisionError here) while computing {what}; check the scheduler's arguments.");
        }

        long q = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
    }

    /// <summary>Python's <c>x ** y</c> on floats: C's <c>pow</c>, but raising where Python raises.</summary>
    /// <param name="x">The base.</param>
    /// <param name="y">The exponent.</param>
    /// <param name="what">What was being computed, for the message.</param>
    /// <returns>The power.</returns>
    /// <exception cref="DivideByZeroException"><paramref name="x"/> is zero and <paramref name="y"/> negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is negative and <paramref name="y"/> not an integer (Python would return a complex number).</exception>
    public static double Pow(double x, double y, string what)
    {
        if (x == 0 && y < 0)
        {
            throw new DivideByZeroException($"0.0 cannot be raised to a negative power (PyTorch raises ZeroDivisionError here) while computing {what}; check the scheduler's arguments.");
        }

        if (x < 0 && double.IsFinite(x) && double.IsFinite(y) && Math.Floor(y) != y)
        {
            throw new ArgumentException($"A negative number raised to the non-integer power {y} is complex in Python, not a learning rate, while computing {what}; check the scheduler's arguments.");
        }

        return Math.Pow(x, y);
    }

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
