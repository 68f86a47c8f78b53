using System.Numerics;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Turns an unpickled object graph into the project's container mapping: a dict with only string keys becomes an
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/> of <see cref="string"/> (insertion order kept), any other dict one of
/// <see cref="object"/> (int keys as <see cref="long"/>), lists and tuples <see cref="IReadOnlyList{T}"/> (a list as
/// <see cref="List{T}"/>, a tuple as an array), sets <see cref="IReadOnlySet{T}"/>. An object the pickle references
/// twice converts once (aliasing is kept); nesting deeper than Python's recursion limit is refused.
/// </summary>
internal sealed class PickleConverter(string path)
{
    private readonly Dictionary<object, object> done = new(ReferenceEqualityComparer.Instance);

    /// <summary>Converts <paramref name="value"/> and everything it holds.</summary>
    internal object? Convert(object? value) => Convert(value, 0);

    private object? Convert(object? value, int depth)
    {
        if (depth > WeightsOnlyUnpickler.MaxDepth)
        {
            throw new CheckpointFormatException(path, $"the pickle nests containers more than {WeightsOnlyUnpickler.MaxDepth} deep, deeper than Python's recursion limit lets torch.save write (RecursionError); the file is corrupt or hostile.", "UnpicklingError");
        }

        switch (value)
        {
            case PickleDict dict:
                {
                    if (done.TryGetValue(dict, out object? seen))
                    {
                        return seen;
                    }

                    if (dict.Items.Keys.All(k => k is string))
                    {
                        var result = new OrderedDictionary<string, object?>(dict.Items.Count, StringComparer.Ordinal);
                        done[dict] = result;
                        foreach (var (k, v) in dict.Items)
                        {
                            result.Add((string)k, Convert(v, depth + 1));
                        }

                        return result;
                    }
                    else
                    {
                        var result = new OrderedDictionary<object, object?>(dict.Items.Count, PickleKeyComparer.Instance);
                        done[dict] = result;
                        foreach (var (k, v) in dict.Items)
                        {
                            result.Add(Convert(k, depth + 1)!, Convert(v, depth + 1));
                        }

                        return result;
                    }
                }

            case List<object?> list:
                {
                    if (done.TryGetValue(list, out object? seen))
                    {
                        return seen;
                    }

                    var result = new List<object?>(list.Count);
                    done[list] = result;
                    foreach (object? item in list)
                    {
                        result.Add(Convert(item, depth + 1));
                    }

                    return result;
                }

            case object?[] tuple:
                {
                    if (tuple.Length == 0)
                    {
                        return tuple;
                    }

                    if (done.TryGetValue(tuple, out object? seen))
                    {
                        return seen;
                    }

                    var result = new object?[tuple.Length];
                    done[tuple] = result;
                    for (int i = 0; i < tuple.Length; i++)
                    {
                        result[i] = Convert(tuple[i], depth + 1);
                    }

                    return result;
                }

            case HashSet<object> set:
                {
                    if (done.TryGetValue(set, out object? seen))
                    {
                        return seen;
                    }

                    var result = new HashSet<object>(PickleKeyComparer.Instance);
                    done[set] = result;
                    foreach (object item in set)
                    {
                        result.Add(Convert(item, depth + 1)!);
                    }

                    return result;
                }

            case PickleGlobal { Kind: PickleGlobalKind.DType, Value: torch.ScalarType dtype }:
                return dtype;
            case PickleGlobal g:
                throw new CheckpointFormatException(path, $"the checkpoint holds the bare global {g.FullName}, which has no .NET value; TorchFacade loads only data.", "NotImplementedError");
            case PickleStorage s:
                throw new CheckpointFormatException(path, $"the checkpoint holds a bare storage (data/{s.Key}) rather than a tensor; TorchFacade loads tensors. In Python, save torch.tensor(storage) or the tensors over it.", "NotImplementedError");
            case null or string or long or double or bool or BigInteger or Complex or byte[] or long[] or torch.Tensor:
                return value;
            default:
                return value;
        }
    }
}
