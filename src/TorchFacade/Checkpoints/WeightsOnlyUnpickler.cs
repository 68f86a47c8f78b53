using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// The restricted unpickler of <c>torch.load(weights_only=True)</c>, written from its rules: exactly its opcodes
/// (protocol 2's <c>MARK</c>, <c>STOP</c>, <c>GLOBAL</c>, <c>REDUCE</c>, <c>BUILD</c>, <c>NEWOBJ</c>, containers, ints,
/// floats, strings, <c>BINPERSID</c>, memo), exactly its allowed globals (dicts and OrderedDicts, tensors rebuilt from
/// storages, <c>torch.Size</c>, dtypes, sets, complex, bytes, devices), every other global refused with PyTorch's own
/// message. Nothing a pickle names is ever looked up, constructed or called: each allowed global is a marker this class
/// interprets. Every length is checked against the bytes left before anything is allocated, and nesting is limited to
/// Python's own recursion limit, so a hostile pickle can neither exhaust memory nor the stack.
/// </summary>
internal sealed class WeightsOnlyUnpickler
{
    /// <summary>Deeper structures than Python's default recursion limit cannot have been written by <c>torch.save</c>.</summary>
    internal const int MaxDepth = 1000;

    internal const string UnsafeMessage =
        "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` from `False` to `True`. "
        + "Re-running `torch.load` with `weights_only` set to `False` will likely succeed, but it can result in arbitrary code execution. "
        + "Do it only if you got the file from a trusted source.";

    internal const string DocsMessage =
        "\n\nCheck the documentation of torch.load to learn more about types accepted by default with weights_only https://pytorch.org/docs/stable/generated/torch.load.html.";

    internal const string TorchFacadeAdvice =
        "\nTorchFacade never runs code from a checkpoint, so it cannot load this file. If you trust its source, load it in Python "
        + "and re-save only tensors and plain containers: torch.save(model.state_dict(), path) (or safetensors.torch.save_file).";

    private static readonly string[] BlockedModules = ["sys", "os", "posix", "nt"];

    private readonly byte[] data;
    private readonly string path;
    private readonly Func<object?, PickleStorage> persistentLoad;
    private readonly Func<PickleStorage, torch.ScalarType?, long, long[], long[], torch.Tensor> rebuild;
    private readonly Dictionary<uint, object?> memo = [];
    private readonly Stack<List<object?>> metastack = new();
    private List<object?> stack = [];
    private int position;

    /// <summary>Creates an unpickler over a whole <c>data.pkl</c>.</summary>
    /// <param name="data">The pickle.</param>
    /// <param name="path">The file and entry, for messages.</param>
    /// <param name="persistentLoad">Resolves a <c>('storage', ...)</c> persistent id.</param>
    /// <param name="rebuild">Rebuilds a tensor: storage, dtype (null: the storage's), offset, size, stride.</param>
    internal WeightsOnlyUnpickler(byte[] data, string path, Func<object?, PickleStorage> persistentLoad, Func<PickleStorage, torch.ScalarType?, long, long[], long[], torch.Tensor> rebuild)
    {
        this.data = data;
        this.path = path;
        this.persistentLoad = persistentLoad;
        this.rebuild = rebuild;
    }

    /// <summary>Runs the pickle to its <c>STOP</c> and returns the object in the project's container mapping.</summary>
    internal object? Load()
    {
        object? result = Run();
        return new PickleConverter(path).Convert(result);
    }

    private object? Run()
    {
        while (true)
        {
            if (position >= data.Length)
            {
                throw Malformed("the pickle ended without a STOP opcode (EOFError); the file is truncated or corrupt.");
            }

            int at = position;
            byte op = data[position++];
            switch (op)
            {
                case (byte)'c':
                    Push(Global(ReadLine(), ReadLine()));
                    break;
                case 0x81: // NEWOBJ
                    {
                        object? args = Pop();
                        object? cls = Pop();
                        if (cls is PickleGlobal { Kind: PickleGlobalKind.ParameterType } && args is object?[] a && a.Length >= 1 && a[0] is torch.Tensor t)
                        {
                            Push(Parameter(t, a.Length > 1 && a[1] is true));
                        }
                        else if (cls is PickleGlobal g && g.Kind != PickleGlobalKind.Unsupported)
                        {
                            throw Unsupported($"NEWOBJ of {g.FullName}", g.FullName);
                        }
                        else
                        {
                            throw Refused($"Can only create new object for nn.Parameter or classes allowlisted via `add_safe_globals` but got {Describe(cls)}");
                        }

                        break;
                    }

                case (byte)'R':
                    {
                        object? args = Pop();
                        object? func = Peek();
                        stack[^1] = Reduce(func, args as object?[] ?? throw Malformed($"REDUCE at byte {at} got {Describe(args)} as its arguments, not a tuple."));
                        break;
                    }

                case (byte)'b':
                    {
                        object? state = Pop();
                        object? inst = Peek();
                        Build(inst, state);
                        break;
                    }

                case (byte)'a':
                    {
                        object? item = Pop();
                        AsList(Peek(), "append to").Add(item);
                        break;
                    }

                case (byte)'e':
                    {
                        List<object?> items = PopMark();
                        AsList(Peek(), "extend").AddRange(items);
                        break;
                    }

                case (byte)'s':
                    {
                        object? value = Pop();
                        object? key = Pop();
                        AsDict(Peek()).Set(Key(key), value);
                        break;
                    }

                case (byte)'u':
                    {
                        List<object?> items = PopMark();
                        if (items.Count % 2 != 0)
                        {
                            throw Malformed($"SETITEMS at byte {at} has an odd number of items.");
                        }

                        PickleDict dict = AsDict(Peek());
                        for (int i = 0; i < items.Count; i += 2)
                        {
                            dict.Set(Key(items[i]), items[i + 1]);
                        }

                        break;
                    }

                case (byte)'(':
                    if (metastack.Count >= data.Length)
                    {
                        throw Malformed("too many MARKs.");
                    }

                    metastack.Push(stack);
                    stack = [];
                    break;
                case (byte)'t':
                    Push(PopMark().ToArray());
                    break;
                case 0x85:
                    stack[^1] = new[] { Peek() };
                    break;
                case 0x86:
                    {
                        object? b = Pop();
                        object? a = Pop();
                        Push(new[] { a, b });
                        break;
                    }

                case 0x87:
                    {
                        object? c = Pop();
                        object? b = Pop();
                        object? a = Pop();
                        Push(new[] { a, b, c });
                        break;
                    }

                case (byte)'N':
                    Push(null);
                    break;
                case 0x89:
                    Push(false);
                    break;
                case 0x88:
                    Push(true);
                    break;
                case (byte)')':
                    Push(Array.Empty<object?>());
                    break;
                case (byte)']':
                    Push(new List<object?>());
                    break;
                case (byte)'}':
                    Push(new PickleDict());
                    break;
                case 0x8f: // EMPTY_SET
                    Push(new HashSet<object>(PickleKeyComparer.Instance));
                    break;
                case (byte)'J':
                    Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                    break;
                case (byte)'K':
                    Push((long)Take(1)[0]);
                    break;
                case (byte)'M':
                    Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                    break;
                case (byte)'G':
                    Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                    break;
                case (byte)'X':
                    {
                        uint length = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
                        Push(Utf8(Take(length), at));
                        break;
                    }

                case (byte)'U':
                    Push(Utf8(Take(Take(1)[0]), at));
                    break;
                case (byte)'Q':
                    {
                        object? pid = Pop();
                        if (pid is not object?[] tuple || tuple.Length == 0 || tuple[0] is not string kind)
                        {
                            throw Refused($"persistent_load id must be tuple or int, but got {Describe(pid)}");
                        }

                        if (kind != "storage")
                        {
                            throw Refused($"Only persistent_load of storage is allowed, but got {kind}");
                        }

                        Push(persistentLoad(tuple));
                        break;
                    }

                case (byte)'h':
                    Push(MemoGet(Take(1)[0], at));
                    break;
                case (byte)'j':
                    Push(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), at));
                    break;
                case (byte)'q':
                    memo[Take(1)[0]] = Peek();
                    break;
                case (byte)'r':
                    memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek();
                    break;
                case 0x8a: // LONG1
                    {
                        ReadOnlySpan<byte> bytes = Take(Take(1)[0]);
                        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
                        Push(value >= long.MinValue && value <= long.MaxValue ? (long)value : value);
                        break;
                    }

                case 0x80: // PROTO
                    _ = Take(1);
                    break;
                case (byte)'.':
                    if (metastack.Count != 0 || stack.Count != 1)
                    {
                        throw Malformed($"STOP at byte {at} with {stack.Count} objects on the stack and {metastack.Count} open MARKs; the pickle is corrupt.");
                    }

                    return Pop();
                default:
                    throw Refused($"Unsupported operand {op}");
            }
        }
    }

    private object? Global(string module, string name)
    {
        if (module == "__builtin__")
        {
            module = "builtins";
        }

        string full = $"{module}.{name}";
        if (BlockedModules.Contains(module))
        {
            throw Blocked($"Trying to load unsupported GLOBAL {full} whose module {module} is blocked.");
        }

        PickleGlobal? g = Allowed(module, name);
        if (g is not null)
        {
            return g;
        }

        if (full is "torch.nested._internal.nested_tensor.NestedTensor" or "torch.nested._internal.nested_tensor._rebuild_njt" or "torch._dynamo.decorators._DimRange")
        {
            throw Import("``torch.nested`` and ``torch._dynamo`` must be imported to load nested jagged tensors (NJTs)");
        }

        if (full.StartsWith("torch.distributed.", StringComparison.Ordinal))
        {
            throw Import("``torch.distributed.tensor`` must be imported to load DTensors");
        }

        throw Refused(
            $"Unsupported global: GLOBAL {full} was not an allowed global by default. Please use `torch.serialization.add_safe_globals([{name}])` or the "
            + $"`torch.serialization.safe_globals([{name}])` context manager to allowlist this global if you trust this class/function.");
    }

    private static PickleGlobal? Allowed(string module, string name)
    {
        PickleGlobalKind? kind = (module, name) switch
        {
            ("collections", "OrderedDict") => PickleGlobalKind.OrderedDict,
            ("collections", "Counter") => PickleGlobalKind.Counter,
            ("torch", "Size") => PickleGlobalKind.Size,
            ("torch", "Tensor") => PickleGlobalKind.TensorType,
            ("torch.nn.parameter", "Parameter") => PickleGlobalKind.ParameterType,
            ("torch", "device") => PickleGlobalKind.Device,
            ("builtins", "set") => PickleGlobalKind.Set,
            ("builtins", "complex") => PickleGlobalKind.Complex,
            ("builtins", "bytearray") => PickleGlobalKind.ByteArray,
            ("_codecs", "encode") => PickleGlobalKind.Encode,
            ("torch._utils", "_rebuild_tensor") => PickleGlobalKind.RebuildTensor,
            ("torch._utils", "_rebuild_tensor_v2") => PickleGlobalKind.RebuildTensorV2,
            ("torch._utils", "_rebuild_tensor_v3") => PickleGlobalKind.RebuildTensorV3,
            ("torch._utils", "_rebuild_parameter") => PickleGlobalKind.RebuildParameter,
            ("torch._utils", "_rebuild_parameter_with_state") => PickleGlobalKind.RebuildParameterWithState,
            ("torch._utils", "_rebuild_device_tensor_from_cpu_tensor") => PickleGlobalKind.RebuildDeviceTensorFromCpu,
            ("torch._tensor", "_rebuild_from_type_v2") => PickleGlobalKind.RebuildFromTypeV2,
            ("torch.storage", "UntypedStorage") => PickleGlobalKind.Storage,
            ("torch._utils", "_rebuild_sparse_tensor") => PickleGlobalKind.RebuildSparseTensor,
            ("torch._utils", "_rebuild_meta_tensor_no_storage") => PickleGlobalKind.RebuildMetaTensor,
            ("torch.serialization", "_get_layout") => PickleGlobalKind.GetLayout,
            ("torch._utils", "_rebuild_qtensor" or "_rebuild_nested_tensor" or "_rebuild_wrapper_subclass" or "_rebuild_device_tensor_from_numpy") => PickleGlobalKind.Unsupported,
            ("torch.storage", "TypedStorage") => PickleGlobalKind.Unsupported,
            _ => null,
        };
        if (kind is { } k)
        {
            return new PickleGlobal(module, name, k);
        }

        if (module == "torch" && CheckpointDTypes.TryFromTorchName(name, out torch.ScalarType dtype) && CheckpointDTypes.TorchName(dtype) == name)
        {
            return new PickleGlobal(module, name, PickleGlobalKind.DType, dtype);
        }

        if (module is "torch" or "torch.cuda" && CheckpointDTypes.TryFromStorageClass(name, out torch.ScalarType storageType))
        {
            return new PickleGlobal(module, name, PickleGlobalKind.Storage, storageType);
        }

        bool pyTorchAllows =
            (module == "torch" && (name.StartsWith("per_", StringComparison.Ordinal) || name.StartsWith("qint", StringComparison.Ordinal)
                || name.StartsWith("quint", StringComparison.Ordinal) || name.StartsWith("bits", StringComparison.Ordinal)))
            || (module is "torch" or "torch.cuda" && (name.EndsWith("Storage", StringComparison.Ordinal) || name.EndsWith("Tensor", StringComparison.Ordinal)))
            || (module is "torch.sparse" or "torch.cuda.sparse" && name.EndsWith("Tensor", StringComparison.Ordinal));
        return pyTorchAllows ? new PickleGlobal(module, name, PickleGlobalKind.Unsupported) : null;
    }

    private object? Reduce(object? func, object?[] args)
    {
        if (func is not PickleGlobal g)
        {
            throw Refused($"Trying to call reduce for unrecognized function {Describe(func)}");
        }

        switch (g.Kind)
        {
            case PickleGlobalKind.OrderedDict:
            case PickleGlobalKind.Counter:
                {
                    var dict = new PickleDict { Ordered = g.Kind == PickleGlobalKind.OrderedDict };
                    if (args.Length == 1 && args[0] is PickleDict from)
                    {
                        foreach (var (k, v) in from.Items)
                        {
                            dict.Set(k, v);
                        }
                    }
                    else if (args.Length != 0)
                    {
                        throw Unsupported($"{g.FullName} with arguments {Describe(args)}", g.FullName);
                    }

                    return dict;
                }

            case PickleGlobalKind.Size:
                {
                    if (args.Length != 1 || args[0] is not object?[] dims)
                    {
                        throw Malformed($"torch.Size takes one tuple of ints, got {Describe(args)}.");
                    }

                    return dims.Select(d => d is long l ? l : throw Malformed($"torch.Size holds {Describe(d)}, not an int.")).ToArray();
                }

            case PickleGlobalKind.Set:
                {
                    var set = new HashSet<object>(PickleKeyComparer.Instance);
                    if (args.Length == 1 && args[0] is List<object?> items)
                    {
                        foreach (object? item in items)
                        {
                            set.Add(Key(item));
                        }
                    }
                    else if (args.Length != 0)
                    {
                        throw Malformed($"set() takes a list, got {Describe(args)}.");
                    }

                    return set;
                }

            case PickleGlobalKind.Complex:
                return args.Length == 2 && ToDouble(args[0]) is double re && ToDouble(args[1]) is double im
                    ? new Complex(re, im)
                    : throw Malformed($"complex() takes two floats here, got {Describe(args)}.");
            case PickleGlobalKind.Encode:
                return args.Length == 2 && args[0] is string text && args[1] is "latin1" or "latin-1"
                    ? Encoding.Latin1.GetBytes((string)args[0]!)
                    : throw Malformed($"_codecs.encode is only used for bytes (a str and 'latin1'), got {Describe(args)}.");
            case PickleGlobalKind.ByteArray:
                return args.Length switch
                {
                    0 => Array.Empty<byte>(),
                    1 when args[0] is byte[] b => b,
                    _ => throw Malformed($"bytearray() takes bytes here, got {Describe(args)}."),
                };
            case PickleGlobalKind.Device:
                return args.Length switch
                {
                    1 when args[0] is string s => s,
                    2 when args[0] is string s && args[1] is long i => $"{s}:{i}",
                    _ => throw Malformed($"torch.device() takes a string (and an index), got {Describe(args)}."),
                };
            case PickleGlobalKind.RebuildTensor:
            case PickleGlobalKind.RebuildTensorV2:
            case PickleGlobalKind.RebuildTensorV3:
                return RebuildTensor(g, args);
            case PickleGlobalKind.GetLayout:
                // torch.serialization._get_layout(name): the layout object of that name (a marker here).
                return args.Length == 1 && args[0] is string layout && Layouts.Contains(layout)
                    ? new PickleGlobal("torch", layout, PickleGlobalKind.GetLayout, layout)
                    : throw Malformed($"_get_layout takes the name of a torch layout, got {Describe(args)}.");
            case PickleGlobalKind.RebuildSparseTensor:
                return RebuildSparse(g, args);
            case PickleGlobalKind.RebuildMetaTensor:
                return RebuildMeta(g, args);
            case PickleGlobalKind.RebuildParameter:
            case PickleGlobalKind.RebuildParameterWithState:
                {
                    if (args.Length < 3 || args[0] is not torch.Tensor data || args[1] is not bool requiresGrad)
                    {
                        throw Malformed($"{g.Name} takes (tensor, requires_grad, backward_hooks), got {Describe(args)}.");
                    }

                    if (g.Kind == PickleGlobalKind.RebuildParameterWithState && args.Length > 3 && args[3] is PickleDict { Items.Count: > 0 })
                    {
                        throw Unsupported("a Parameter with Python attributes", g.FullName);
                    }

                    return Parameter(data, requiresGrad);
                }

            case PickleGlobalKind.RebuildDeviceTensorFromCpu:
                {
                    if (args.Length != 4 || args[0] is not torch.Tensor data || args[3] is not bool requiresGrad)
                    {
                        throw Malformed($"{g.Name} takes (tensor, dtype, device, requires_grad), got {Describe(args)}.");
                    }

                    return Parameter(data, requiresGrad);
                }

            case PickleGlobalKind.RebuildFromTypeV2:
                {
                    if (args.Length != 4 || args[0] is not PickleGlobal inner || args[1] is not PickleGlobal { Kind: PickleGlobalKind.TensorType or PickleGlobalKind.ParameterType } || args[2] is not object?[] innerArgs)
                    {
                        throw Unsupported($"_rebuild_from_type_v2 of {Describe(args.Length > 1 ? args[1] : null)}", g.FullName);
                    }

                    if (args[3] is PickleDict { Items.Count: > 0 })
                    {
                        throw Unsupported("a tensor with Python attributes", g.FullName);
                    }

                    return Reduce(inner, innerArgs);
                }

            default:
                throw Unsupported(g.FullName, g.FullName);
        }
    }

    private torch.Tensor RebuildTensor(PickleGlobal g, object?[] args)
    {
        int need = g.Kind switch { PickleGlobalKind.RebuildTensor => 4, PickleGlobalKind.RebuildTensorV2 => 6, _ => 7 };
        if (args.Length < need || args.Length > need + 1 || args[0] is not PickleStorage storage)
        {
            throw Malformed($"{g.Name} takes {need} arguments starting with a storage, got {Describe(args)}.");
        }

        long offset = args[1] is long o ? o : throw Malformed($"{g.Name}: the storage offset is {Describe(args[1])}, not an int.");
        long[] size = Ints(args[2], g.Name, "size");
        long[] stride = Ints(args[3], g.Name, "stride");
        bool requiresGrad = need > 4 && args[4] is true;
        if (need > 4 && args[5] is PickleDict { Items.Count: > 0 })
        {
            throw Unsupported("a tensor with backward hooks", g.FullName);
        }

        torch.ScalarType? dtype = null;
        if (g.Kind == PickleGlobalKind.RebuildTensorV3)
        {
            dtype = args[6] is PickleGlobal { Kind: PickleGlobalKind.DType, Value: torch.ScalarType d } ? d : throw Malformed($"{g.Name}: the dtype is {Describe(args[6])}.");
        }

        torch.Tensor t = rebuild(storage, dtype, offset, size, stride);
        return requiresGrad ? Parameter(t, true) : t;
    }

    private static readonly HashSet<string> Layouts =
        new(StringComparer.Ordinal) { "torch.strided", "torch.sparse_coo", "torch.sparse_csr", "torch.sparse_csc", "torch.sparse_bsr", "torch.sparse_bsc", "torch._mkldnn", "torch.jagged" };

    /// <summary>
    /// <c>_rebuild_sparse_tensor(layout, (indices, values, size[, is_coalesced]))</c> for <c>torch.sparse_coo</c>, checked
    /// as <c>torch.load(weights_only=True)</c> checks it (<c>_validate_sparse_coo_tensor_args</c>, PyTorch's messages):
    /// shapes consistent, every index inside the size, and a tensor saved as coalesced really coalesced — so no loaded
    /// sparse tensor can make a later operation read outside its values.
    /// </summary>
    private torch.Tensor RebuildSparse(PickleGlobal g, object?[] args)
    {
        if (args.Length != 2 || args[0] is not PickleGlobal { Kind: PickleGlobalKind.GetLayout, Value: string layout })
        {
            throw Malformed($"{g.Name} takes (layout, data), got {Describe(args)}.");
        }

        if (layout != "torch.sparse_coo")
        {
            throw Unsupported($"a {layout} tensor", g.FullName);
        }

        if (args[1] is not object?[] { Length: 3 or 4 } data || data[0] is not torch.Tensor indices || data[1] is not torch.Tensor values
            || data[2] is not long[] size || (data.Length == 4 && data[3] is not bool))
        {
            throw Malformed($"{g.Name} of torch.sparse_coo takes (indices, values, size, is_coalesced), got {Describe(args[1])}.");
        }

        bool coalesced = data.Length == 4 && data[3] is true;
        if (indices.dtype != torch.ScalarType.Int64 || indices.dim() != 2)
        {
            throw Sparse($"indices must be an int64 tensor, but got: {CheckpointDTypes.Describe(indices.dtype)} of {indices.dim()} dimensions");
        }

        long sparseDim = indices.shape[0], nnz = indices.shape[1];
        long denseDim = values.dim() - 1;
        if (values.dim() < 1 || sparseDim + denseDim != size.Length)
        {
            throw Sparse($"number of dimensions must be sparse_dim ({sparseDim}) + dense_dim ({denseDim}), but got {size.Length}");
        }

        if (values.shape[0] != nnz)
        {
            throw Sparse($"indices and values must have same nnz, but got nnz from indices: {nnz}, nnz from values: {values.shape[0]}");
        }

        for (int d = 0; d < denseDim; d++)
        {
            if (values.shape[d + 1] != size[sparseDim + d])
            {
                throw Sparse($"values has incorrect size, expected [{nnz}, {string.Join(", ", size.Skip((int)sparseDim))}], got [{string.Join(", ", values.shape)}]");
            }
        }

        if (size.Any(s => s < 0))
        {
            throw Sparse($"negative dimensions are not allowed: [{string.Join(", ", size)}]");
        }

        if (nnz > 0)
        {
            using var scope = torch.NewDisposeScope();
            long[] min = indices.amin([1]).data<long>().ToArray();
            long[] max = indices.amax([1]).data<long>().ToArray();
            for (int d = 0; d < sparseDim; d++)
            {
                if (min[d] < 0)
                {
                    throw Sparse($"found negative index {min[d]} for dim {d}");
                }

                if (max[d] >= size[d])
                {
                    throw Sparse($"size is inconsistent with indices: for dim {d}, size is {size[d]} but found index {max[d]}");
                }
            }

            if (coalesced && nnz > 1)
            {
                // Coalesced: the linearised indices strictly increase.
                torch.Tensor linear = torch.zeros(nnz, torch.ScalarType.Int64);
                for (int d = 0; d < sparseDim; d++)
                {
                    linear = (linear * size[d]) + indices[d];
                }

                if (!(linear[1..] > linear[..^1]).all().item<bool>())
                {
                    throw Sparse("cannot set is_coalesced to true if indices correspond to uncoalesced COO tensor");
                }
            }
        }

        try
        {
            return torch.sparse_coo_tensor(indices, values, size);
        }
        catch (System.Runtime.InteropServices.ExternalException ex)
        {
            throw Sparse(ex.ToTorchException().PyTorchMessage);
        }
    }

    /// <summary><c>_rebuild_meta_tensor_no_storage(dtype, size, stride, requires_grad)</c>: a tensor on the meta device (no data).</summary>
    private torch.Tensor RebuildMeta(PickleGlobal g, object?[] args)
    {
        if (args.Length != 4 || args[0] is not PickleGlobal { Kind: PickleGlobalKind.DType, Value: torch.ScalarType dtype } || args[3] is not bool requiresGrad)
        {
            throw Malformed($"{g.Name} takes (dtype, size, stride, requires_grad), got {Describe(args)}.");
        }

        long[] size = Ints(args[1], g.Name, "size");
        long[] stride = Ints(args[2], g.Name, "stride");
        if (size.Length != stride.Length || size.Any(s => s < 0) || stride.Any(s => s < 0))
        {
            throw Malformed($"{g.Name}: size [{string.Join(", ", size)}] and stride [{string.Join(", ", stride)}] do not describe a tensor.");
        }

        try
        {
            // The extent must be countable (a meta tensor allocates nothing, but LibTorch computes its storage size).
            long extent = 1;
            for (int i = 0; i < size.Length; i++)
            {
                extent = size[i] == 0 ? 0 : checked(extent + ((size[i] - 1) * stride[i]));
            }

            _ = checked(extent * Math.Max(1, CheckpointDTypes.ElementSize(dtype)));
        }
        catch (OverflowException)
        {
            throw Malformed($"{g.Name}: a tensor of size [{string.Join(", ", size)}] and stride [{string.Join(", ", stride)}] has more elements than can be counted.");
        }

        torch.Tensor t = torch.empty_strided(size, stride, dtype, new torch.Device(DeviceType.META));
        return Parameter(t, requiresGrad);
    }

    private CheckpointFormatException Sparse(string problem) => new(path, "the checkpoint holds an invalid sparse tensor: " + problem + " (PyTorch refuses it too).", "RuntimeError");

    private torch.Tensor Parameter(torch.Tensor data, bool requiresGrad)
    {
        if (requiresGrad != data.requires_grad)
        {
            if (requiresGrad && !(torch.is_floating_point(data) || torch.is_complex(data)))
            {
                throw Malformed($"a Parameter of dtype {CheckpointDTypes.Describe(data.dtype)} cannot require gradients (only floating point and complex tensors can).");
            }

            data.requires_grad_(requiresGrad);
        }

        return data;
    }

    private void Build(object? inst, object? state)
    {
        switch (inst)
        {
            case PickleDict { Ordered: true }:
                // OrderedDict attributes, such as a state_dict's _metadata (per-module versions): not part of the data.
                return;
            case torch.Tensor when state is null or PickleDict { Items.Count: 0 }:
                return;
            case torch.Tensor:
                throw Unsupported("BUILD of a tensor (legacy set_ or Parameter state)", "torch.Tensor");
            default:
                throw Refused($"Can only build Tensor, Parameter, OrderedDict or types allowlisted via `add_safe_globals`, but got {TypeName(inst)}");
        }
    }

    private long[] Ints(object? value, string function, string what) =>
        value is object?[] items
            ? items.Select(i => i is long l ? l : throw Malformed($"{function}: the {what} holds {Describe(i)}, not an int.")).ToArray()
            : throw Malformed($"{function}: the {what} is {Describe(value)}, not a tuple of ints.");

    private object Key(object? key) => key switch
    {
        object?[] t when TupleDepth(t, 0) > 64 => throw Malformed("a dict key or set item is a tuple nested more than 64 deep."),
        null => throw Malformed("a dict key or set item is None, which TorchFacade's dictionaries cannot hold."),
        List<object?> => throw Malformed("unhashable type: 'list' used as a dict key."),
        PickleDict => throw Malformed("unhashable type: 'dict' used as a dict key."),
        HashSet<object> => throw Malformed("unhashable type: 'set' used as a dict key."),
        _ => key,
    };

    private static int TupleDepth(object?[] tuple, int depth)
    {
        if (depth > 64)
        {
            return depth;
        }

        int max = depth;
        foreach (object? item in tuple)
        {
            if (item is object?[] inner)
            {
                max = Math.Max(max, TupleDepth(inner, depth + 1));
                if (max > 64)
                {
                    return max;
                }
            }
        }

        return max;
    }

    private List<object?> AsList(object? o, string verb) =>
        o as List<object?> ?? throw Refused($"Can only {verb} lists, but got {TypeName(o)}");

    private PickleDict AsDict(object? o) =>
        o as PickleDict ?? throw Malformed($"SETITEM on {TypeName(o)}, which does not support item assignment.");

    private object? MemoGet(uint index, int at) =>
        memo.TryGetValue(index, out object? v) ? v : throw Malformed($"BINGET at byte {at} reads memo {index}, which was never stored (KeyError).");

    private static double? ToDouble(object? o) => o switch { double d => d, long l => l, _ => null };

    private string Utf8(ReadOnlySpan<byte> bytes, int at)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw Malformed($"the string at byte {at} is not valid UTF-8 ({ex.Message}).");
        }
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0 || end - position > 1024)
        {
            throw Malformed("a GLOBAL opcode's module or name has no end of line within 1024 bytes.");
        }

        string s = Encoding.UTF8.GetString(data, position, end - position);
        position = end + 1;
        return s;
    }

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count > data.Length - position)
        {
            throw Malformed($"an opcode at byte {position} needs {count} more bytes but the pickle has {data.Length - position} left (EOFError); the file is truncated or corrupt.");
        }

        var span = new ReadOnlySpan<byte>(data, position, (int)count);
        position += (int)count;
        return span;
    }

    private void Push(object? o) => stack.Add(o);

    private object? Pop()
    {
        if (stack.Count == 0)
        {
            throw Malformed($"an opcode before byte {position} pops from an empty stack; the pickle is corrupt.");
        }

        object? o = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return o;
    }

    private object? Peek() =>
        stack.Count > 0 ? stack[^1] : throw Malformed($"an opcode before byte {position} needs an object but the stack is empty; the pickle is corrupt.");

    private List<object?> PopMark()
    {
        if (metastack.Count == 0)
        {
            throw Malformed($"an opcode before byte {position} needs a MARK but none is open; the pickle is corrupt.");
        }

        List<object?> items = stack;
        stack = metastack.Pop();
        return items;
    }

    internal static string Describe(object? o) => Describe(o, 0);

    private static string Describe(object? o, int depth) => o switch
    {
        null => "None",
        PickleGlobal g => g.ToString(),
        string s => $"'{(s.Length > 40 ? s[..40] + "..." : s)}'",
        long or double or bool => Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture)!,
        object?[] when depth > 2 => "(...)",
        object?[] t => "(" + string.Join(", ", t.Take(8).Select(e => Describe(e, depth + 1))) + (t.Length > 8 ? ", ..." : t.Length == 1 ? "," : string.Empty) + ")",
        _ => TypeName(o),
    };

    private static string TypeName(object? o) => o switch
    {
        null => "<class 'NoneType'>",
        long or BigInteger => "<class 'int'>",
        double => "<class 'float'>",
        bool => "<class 'bool'>",
        string => "<class 'str'>",
        object?[] => "<class 'tuple'>",
        List<object?> => "<class 'list'>",
        PickleDict { Ordered: true } => "<class 'collections.OrderedDict'>",
        PickleDict => "<class 'dict'>",
        HashSet<object> => "<class 'set'>",
        torch.Tensor => "<class 'torch.Tensor'>",
        PickleStorage => "<class 'torch.storage.TypedStorage'>",
        PickleGlobal g => g.ToString(),
        _ => o.GetType().Name,
    };

    private CheckpointFormatException Malformed(string problem) =>
        new(path, "the pickle is malformed: " + problem, "UnpicklingError");

    /// <summary>PyTorch's <c>_get_wo_message</c>: the message <c>torch.load</c> raises for an <c>UnpicklingError</c> of the weights-only unpickler.</summary>
    internal static string WeightsOnlyMessage(string message)
    {
        string text;
        if (message.Contains(" was not an allowed global by default.", StringComparison.Ordinal))
        {
            text = "Weights only load failed. This file can still be loaded, to do so you have two options, \u001b[1mdo those steps only if you trust the source of the checkpoint\u001b[0m. "
                + $"\n\t(1) {UnsafeMessage}\n\t(2) Alternatively, to load with `weights_only=True` please check the recommended steps in the following error message.\n\tWeightsUnpickler error: "
                + message;
        }
        else if (message.Contains(" must be ", StringComparison.Ordinal) && message.Contains(" to load", StringComparison.Ordinal))
        {
            return $"Weights only load failed. {message}\n {UnsafeMessage}\n{DocsMessage}{TorchFacadeAdvice}";
        }
        else if (message.Contains(" is blocked.", StringComparison.Ordinal))
        {
            text = $"Weights only load failed. {UnsafeMessage}\n{message}";
        }
        else
        {
            text = $"Weights only load failed. {UnsafeMessage}\nPlease file an issue with the following so that we can make `weights_only=True` compatible with your use case: WeightsUnpickler error: {message}";
        }

        return text + DocsMessage + TorchFacadeAdvice;
    }

    private CheckpointFormatException Refused(string message) => new(path, WeightsOnlyMessage(message), "UnpicklingError");

    private CheckpointFormatException Blocked(string message) => Refused(message);

    private CheckpointFormatException Import(string message) => Refused(message);

    private CheckpointFormatException Unsupported(string what, string global) =>
        new(path,
            $"the checkpoint holds {what} ({global}), which torch.load(weights_only=True) allows but TorchFacade cannot rebuild: only dense strided "
            + "tensors, storages and plain containers load. In Python, convert it (t.to_dense(), t.dequantize(), plain torch.Tensor) and re-save.",
            "NotImplementedError");
}
