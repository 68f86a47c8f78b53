using System.Globalization;

namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// Conversions between scheduler fields and the shared state-dict representation (int → <see cref="long"/>, float →
/// <see cref="double"/>, list → <c>IReadOnlyList&lt;object?&gt;</c>, dict → <c>IReadOnlyDictionary</c>), accepting
/// what <c>Torch.Load</c> returns for a PyTorch checkpoint and what C# callers write by hand.
/// </summary>
internal static class StateValues
{
    /// <summary>A list of doubles as a state-dict list.</summary>
    /// <param name="values">The values.</param>
    /// <returns>A new list.</returns>
    public static IReadOnlyList<object?> List(IEnumerable<double> values) => values.Select(v => (object?)v).ToList();

    /// <summary>A list of ints as a state-dict list of <see cref="long"/>.</summary>
    /// <param name="values">The values.</param>
    /// <returns>A new list.</returns>
    public static IReadOnlyList<object?> List(IEnumerable<int> values) => values.Select(v => (object?)(long)v).ToList();

    /// <summary>Reads a Python float (or int) as a double.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key, for the message.</param>
    /// <returns>The number.</returns>
    public static double Double(object? value, string key) => value switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        _ => throw Wrong(key, value, "a number"),
    };

    /// <summary>Reads a Python int as an <see cref="int"/> (an integral float is accepted).</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key, for the message.</param>
    /// <returns>The number.</returns>
    public static int Int(object? value, string key) => value switch
    {
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        int i => i,
        double d when Math.Floor(d) == d && d is >= int.MinValue and <= int.MaxValue => (int)d,
        bool b => b ? 1 : 0,
        _ => throw Wrong(key, value, "an int"),
    };

    /// <summary>Reads a Python bool.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key, for the message.</param>
    /// <returns>The bool.</returns>
    public static bool Bool(object? value, string key) => value is bool b ? b : throw Wrong(key, value, "a bool");

    /// <summary>Reads a Python str.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key, for the message.</param>
    /// <returns>The string.</returns>
    public static string Str(object? value, string key) => value is string s ? s : throw Wrong(key, value, "a str");

    /// <summary>Reads a list of numbers.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key, for the message.</param>
    /// <returns>A new list.</returns>
    public static List<double> Doubles(object? value, string key) => Items(value, key).Select(v => Double(v, key)).ToList();

    /// <summary>Reads a list of ints.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key, for the message.</param>
    /// <returns>A new list.</returns>
    public static List<int> Ints(object? value, string key) => Items(value, key).Select(v => Int(v, key)).ToList();

    /// <summary>Reads a list (or tuple) of anything.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key, for the message.</param>
    /// <returns>The items.</returns>
    public static IReadOnlyList<object?> Items(object? value, string key) => value switch
    {
        IReadOnlyList<object?> list => list,
        string => throw Wrong(key, value, "a list"),
        System.Collections.IEnumerable e => e.Cast<object?>().ToList(),
        _ => throw Wrong(key, value, "a list"),
    };

    /// <summary>Reads a dict with string keys.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key, for the message.</param>
    /// <returns>The dict.</returns>
    public static IReadOnlyDictionary<string, object?> Dict(object? value, string key) =>
        value as IReadOnlyDictionary<string, object?> ?? throw Wrong(key, value, "a dict with str keys");

    /// <summary>Python's <c>repr</c> of a float, for error messages (<c>1.0</c>, <c>0.0001</c>, <c>1e-05</c>).</summary>
    /// <param name="v">The value.</param>
    /// <returns>The text.</returns>
    public static string Repr(double v)
    {
        if (double.IsNaN(v))
        {
            return "nan";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "inf" : "-inf";
        }

        string r = v.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E', StringComparison.Ordinal))
        {
            string[] parts = r.Split('E');
            string exp = parts[1].TrimStart('+');
            bool negative = exp.StartsWith('-');
            string digits = exp.TrimStart('-').PadLeft(2, '0');
            return $"{parts[0]}e{(negative ? "-" : "+")}{digits}";
        }

        return r.Contains('.', StringComparison.Ordinal) ? r : r + ".0";
    }

    private static TorchException Wrong(string key, object? value, string expected) =>
        new(PyTorchErrorTypes.TypeError, $"LRScheduler.LoadStateDict: the scheduler state dict entry '{key}' must be {expected}, but is {(value is null ? "None" : $"{value.GetType().Name} ({value})")}; pass a state dict written by the same scheduler class.");
}
