using System.Numerics;

namespace TorchFacade;

/// <summary>
/// Python's equality for dictionary keys: <c>True == 1 == 1.0</c>, so <c>{1: 'a', True: 'b'}</c> is one entry;
/// strings compare by code point, bytes and tuples by content, anything else by identity.
/// </summary>
internal sealed class PickleKeyComparer : IEqualityComparer<object>
{
    /// <summary>The one instance.</summary>
    internal static readonly PickleKeyComparer Instance = new();

    /// <inheritdoc/>
    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null)
        {
            return false;
        }

        if (TryNumber(x, out BigInteger xi, out double xd, out bool xIntegral) && TryNumber(y, out BigInteger yi, out double yd, out bool yIntegral))
        {
            return xIntegral && yIntegral ? xi == yi : xd == yd;
        }

        return (x, y) switch
        {
            (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (object?[] a, object?[] b) => a.Length == b.Length && a.Zip(b).All(p => Equals(p.First, p.Second)),
            _ => false,
        };
    }

    /// <inheritdoc/>
    public int GetHashCode(object obj)
    {
        if (TryNumber(obj, out BigInteger i, out double d, out bool integral))
        {
            return integral ? i.GetHashCode() : d.GetHashCode();
        }

        return obj switch
        {
            string s => StringComparer.Ordinal.GetHashCode(s),
            byte[] b => b.Length,
            object?[] t => t.Aggregate(t.Length, (h, e) => HashCode.Combine(h, e is null ? 0 : GetHashCode(e))),
            _ => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj),
        };
    }

    private static bool TryNumber(object o, out BigInteger integer, out double real, out bool integral)
    {
        switch (o)
        {
            case bool b:
                integer = b ? 1 : 0;
                real = integer == 1 ? 1 : 0;
                integral = true;
                return true;
            case long l:
                integer = l;
                real = l;
                integral = true;
                return true;
            case BigInteger big:
                integer = big;
                real = (double)big;
                integral = true;
                return true;
            case double v:
                integral = double.IsFinite(v) && Math.Floor(v) == v;
                integer = integral ? new BigInteger(v) : BigInteger.Zero;
                real = v;
                return true;
            default:
                integer = default;
                real = 0;
                integral = false;
                return false;
        }
    }
}
