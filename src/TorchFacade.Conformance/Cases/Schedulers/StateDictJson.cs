using System.Globalization;
using System.Text.Json;

namespace TorchFacade.Conformance.Cases.Schedulers;

/// <summary>
/// The typed JSON that <c>tests/golden/make_sched_golden.py</c> writes for Python values (<c>{"i": 1}</c>,
/// <c>{"f": "0.1"}</c>, <c>{"b": true}</c>, <c>{"s": "min"}</c>, <c>null</c>, <c>{"l": [...]}</c>,
/// <c>{"d": [[key, value], ...]}</c>), decoded into the shared state-dict representation, and the comparison of two
/// such values: same kinds, same keys in the same order, floats within a relative tolerance.
/// </summary>
internal static class StateDictJson
{
    /// <summary>Decodes one typed value.</summary>
    /// <param name="e">The JSON.</param>
    /// <returns>The value: <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>, <see langword="null"/>, a list or a dict.</returns>
    public static object? Decode(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        JsonProperty p = e.EnumerateObject().Single();
        switch (p.Name)
        {
            case "i":
                return p.Value.GetInt64();
            case "f":
                return ParseFloat(p.Value.GetString()!);
            case "b":
                return p.Value.GetBoolean();
            case "s":
                return p.Value.GetString();
            case "l":
                return p.Value.EnumerateArray().Select(Decode).ToList();
            case "d":
                var pairs = p.Value.EnumerateArray().Select(kv => (Decode(kv[0]), Decode(kv[1]))).ToList();
                if (pairs.All(kv => kv.Item1 is string))
                {
                    var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                    foreach ((object? k, object? v) in pairs)
                    {
                        d[(string)k!] = v;
                    }

                    return d;
                }

                var o = new OrderedDictionary<object, object?>();
                foreach ((object? k, object? v) in pairs)
                {
                    o[k!] = v;
                }

                return o;
            default:
                throw new InvalidDataException($"Unknown typed value '{p.Name}' in the scheduler golden file.");
        }
    }

    /// <summary>Python's float repr, including <c>inf</c>, <c>-inf</c> and <c>nan</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    public static double ParseFloat(string text) => text switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/>; appends each difference to <paramref name="diffs"/>.</summary>
    /// <param name="actual">The C# value.</param>
    /// <param name="expected">PyTorch's value.</param>
    /// <param name="path">Where in the dict (for the messages).</param>
    /// <param name="rtol">The relative tolerance on floats.</param>
    /// <param name="diffs">The differences found.</param>
    /// <param name="stats">The largest relative error and the number of floats compared.</param>
    public static void Compare(object? actual, object? expected, string path, double rtol, List<string> diffs, ErrorStats stats)
    {
        switch (expected)
        {
            case null:
                if (actual is not null)
                {
                    diffs.Add($"{path}: {Show(actual)} where PyTorch has None");
                }

                break;
            case double e:
                if (actual is not double a)
                {
                    diffs.Add($"{path}: {Show(actual)} where PyTorch has the float {e:R}");
                }
                else if (!stats.Add(a, e, rtol))
                {
                    diffs.Add($"{path}: {a:R} where PyTorch has {e:R}");
                }

                break;
            case long or bool or string:
                if (!Equals(actual, expected))
                {
                    diffs.Add($"{path}: {Show(actual)} where PyTorch has {Show(expected)}");
                }

                break;
            case IReadOnlyList<object?> list:
                if (actual is not IReadOnlyList<object?> al || al.Count != list.Count)
                {
                    diffs.Add($"{path}: {Show(actual)} where PyTorch has a list of {list.Count}");
                    break;
                }

                for (int i = 0; i < list.Count; i++)
                {
                    Compare(al[i], list[i], $"{path}[{i}]", rtol, diffs, stats);
                }

                break;
            case IReadOnlyDictionary<string, object?> dict:
                if (actual is not IReadOnlyDictionary<string, object?> ad)
                {
                    diffs.Add($"{path}: {Show(actual)} where PyTorch has a dict");
                    break;
                }

                if (!ad.Keys.SequenceEqual(dict.Keys))
                {
                    diffs.Add($"{path}: keys [{string.Join(", ", ad.Keys)}] where PyTorch has [{string.Join(", ", dict.Keys)}]");
                    break;
                }

                foreach ((string k, object? v) in dict)
                {
                    Compare(ad[k], v, $"{path}.{k}", rtol, diffs, stats);
                }

                break;
            case IReadOnlyDictionary<object, object?> odict:
                if (actual is not IReadOnlyDictionary<object, object?> aod || !aod.Keys.SequenceEqual(odict.Keys))
                {
                    diffs.Add($"{path}: {Show(actual)} where PyTorch has a dict with keys [{string.Join(", ", odict.Keys)}]");
                    break;
                }

                foreach ((object k, object? v) in odict)
                {
                    Compare(aod[k], v, $"{path}[{k}]", rtol, diffs, stats);
                }

                break;
            default:
                diffs.Add($"{path}: cannot compare {Show(expected)}");
                break;
        }
    }

    private static string Show(object? v) => v switch
    {
        null => "None",
        string s => $"'{s}'",
        double d => $"float {d:R}",
        long l => $"int {l}",
        bool b => b ? "True" : "False",
        _ => v.GetType().Name,
    };
}
