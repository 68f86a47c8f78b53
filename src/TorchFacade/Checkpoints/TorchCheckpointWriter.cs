using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Writes <c>torch.save</c>'s zip format: pickles the object (protocol 2, as PyTorch does) with tensors as
/// <c>_rebuild_tensor_v2</c> (or <c>_rebuild_tensor_v3</c> for dtypes without a legacy storage class) over persistent
/// storage ids, then writes one record per distinct storage, so tensors sharing a storage are written once and load
/// as views of one storage again.
/// </summary>
internal sealed class TorchCheckpointWriter
{
    private readonly MemoryStream pickle = new();
    private readonly Dictionary<string, uint> globals = new(StringComparer.Ordinal);
    private readonly Dictionary<object, uint> containers = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(IntPtr, DeviceType, int), StorageRecord> storages = [];
    private readonly List<StorageRecord> ordered = [];
    private uint nextMemo;

    /// <summary>Tensors this writer made (a sparse tensor's indices and values), disposed once the file is written.</summary>
    private readonly List<torch.Tensor> owned = [];

    /// <summary>Saves <paramref name="obj"/> to <paramref name="path"/>.</summary>
    internal static void Save(object? obj, string path)
    {
        var writer = new TorchCheckpointWriter();
        try
        {
            writer.pickle.WriteByte(0x80);
            writer.pickle.WriteByte(2);
            writer.Write(obj, 0);
            writer.pickle.WriteByte((byte)'.');
            string archive = Path.GetFileNameWithoutExtension(path);
            if (archive.Length == 0)
            {
                archive = "archive";
            }

            Npy.WriteReplacing(path, stream => writer.WriteArchive(stream, archive + "/"), bufferSize: 1 << 16);
        }
        finally
        {
            foreach (torch.Tensor t in writer.owned)
            {
                t.Dispose();
            }
        }
    }

    private unsafe void WriteArchive(FileStream stream, string prefix)
    {
        var zip = new ZipWriter(stream);
        byte[] data = pickle.ToArray();
        zip.Add(prefix + "data.pkl", data.Length, (s, crc) => { crc.Append(data); s.Write(data); });
        byte[] order = "little"u8.ToArray();
        zip.Add(prefix + "byteorder", order.Length, (s, crc) => { crc.Append(order); s.Write(order); });
        foreach (StorageRecord record in ordered)
        {
            zip.Add(prefix + "data/" + record.Key, record.Bytes, (s, crc) =>
            {
                if (record.Bytes == 0)
                {
                    return;
                }

                s.Flush();
                torch.Tensor source = record.Tensor;
                if (source.device_type == DeviceType.CPU)
                {
                    CheckpointIO.Write(s, (byte*)StorageInfo.Base(source), record.Bytes, crc);
                }
                else
                {
                    using torch.Tensor whole = source.as_strided([record.Bytes / CheckpointDTypes.ElementSize(source.dtype)], [1], 0);
                    using torch.Tensor cpu = whole.cpu();
                    CheckpointIO.Write(s, (byte*)TensorInterop.DataPointer(cpu), record.Bytes, crc);
                }
            });
        }

        byte[] version = "3\n"u8.ToArray();
        zip.Add(prefix + "version", version.Length, (s, crc) => { crc.Append(version); s.Write(version); });
        byte[] id = Encoding.ASCII.GetBytes(SerializationId());
        zip.Add(prefix + ".data/serialization_id", id.Length, (s, crc) => { crc.Append(id); s.Write(id); });
        stream.Flush();
        zip.Finish();
    }

    private static string SerializationId()
    {
        var digits = new StringBuilder(40);
        for (int i = 0; i < 40; i++)
        {
            digits.Append((char)('0' + RandomNumberGenerator.GetInt32(10)));
        }

        return digits.ToString();
    }

    private void Write(object? obj, int depth)
    {
        if (depth > WeightsOnlyUnpickler.MaxDepth)
        {
            throw new ArgumentException($"Torch.Save: the object nests more than {WeightsOnlyUnpickler.MaxDepth} levels deep (or holds a cycle through a tuple); Python could not load it (RecursionError).");
        }

        switch (obj)
        {
            case null:
                Op('N');
                return;
            case bool b:
                pickle.WriteByte(b ? (byte)0x88 : (byte)0x89);
                return;
            case string s:
                WriteString(s);
                return;
            case sbyte or byte or short or ushort or int or uint or long:
                WriteInt(Convert.ToInt64(obj, System.Globalization.CultureInfo.InvariantCulture));
                return;
            case ulong u:
                WriteInt(new BigInteger(u));
                return;
            case BigInteger big:
                WriteInt(big);
                return;
            case double d:
                WriteFloat(d);
                return;
            case float f:
                WriteFloat(f);
                return;
            case Half h:
                WriteFloat((double)h);
                return;
            case Complex c:
                Global("builtins", "complex");
                WriteFloat(c.Real);
                WriteFloat(c.Imaginary);
                pickle.WriteByte(0x86);
                Op('R');
                return;
            case byte[] bytes:
                Global("_codecs", "encode");
                WriteString(Encoding.Latin1.GetString(bytes));
                WriteString("latin1");
                pickle.WriteByte(0x86);
                Op('R');
                return;
            case torch.ScalarType dtype:
                Global("torch", CheckpointDTypes.TorchName(dtype) ?? throw new ArgumentException($"Torch.Save: the dtype {(int)dtype} has no PyTorch name this writer knows."));
                return;
            case torch.Device device:
                Global("torch", "device");
                WriteString(device.ToString());
                pickle.WriteByte(0x85);
                Op('R');
                return;
            case TorchSharp.Modules.Parameter parameter:
                Global("torch._utils", "_rebuild_parameter");
                Op('(');
                WriteTensor(parameter, requiresGrad: false);
                Write(parameter.requires_grad, depth + 1);
                EmptyOrderedDict();
                Op('t');
                Op('R');
                return;
            case torch.Tensor tensor:
                TensorChecks.ThrowIfDisposed(tensor, "Torch.Save");
                WriteTensor(tensor, tensor.requires_grad);
                return;
            case long[] or int[] or short[] or IEnumerable<long> or IEnumerable<int>:
                Global("torch", "Size");
                Op('(');
                foreach (object d in (IEnumerable)obj)
                {
                    WriteInt(Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture));
                }

                Op('t');
                pickle.WriteByte(0x85);
                Op('R');
                return;
            case object?[] tuple:
                WriteTuple(tuple, depth);
                return;
            case ITuple tuple:
                WriteTuple(Enumerable.Range(0, tuple.Length).Select(i => tuple[i]).ToArray(), depth);
                return;
            case IDictionary dict:
                WriteDict(obj, Entries(dict), depth);
                return;
            case IReadOnlyDictionary<string, object?> d1:
                WriteDict(obj, d1.Select(p => ((object)p.Key, p.Value)), depth);
                return;
            case IReadOnlyDictionary<object, object?> d2:
                WriteDict(obj, d2.Select(p => (p.Key, p.Value)), depth);
                return;
            case IReadOnlyDictionary<string, torch.Tensor> d3:
                WriteDict(obj, d3.Select(p => ((object)p.Key, (object?)p.Value)), depth);
                return;
            case IReadOnlySet<object> or ISet<object>:
                Global("builtins", "set");
                var items = new List<object?>(((IEnumerable)obj).Cast<object?>());
                WriteList(items, items, depth);
                pickle.WriteByte(0x85);
                Op('R');
                return;
            case IEnumerable sequence when KeyValueSequence(obj) is { } pairs:
                _ = sequence;
                WriteDict(obj, pairs, depth);
                return;
            case IEnumerable sequence:
                WriteList(obj, sequence, depth);
                return;
            default:
                throw new ArgumentException($"Torch.Save cannot write a {obj.GetType().FullName}: only tensors, dictionaries, lists, tuples, strings, numbers, bools, null, "
                    + "dtypes and integer arrays (torch.Size) have a form torch.load(weights_only=True) reads.");
        }
    }

    private void WriteTuple(object?[] items, int depth)
    {
        switch (items.Length)
        {
            case 0:
                Op(')');
                return;
            case <= 3:
                foreach (object? item in items)
                {
                    Write(item, depth + 1);
                }

                pickle.WriteByte((byte)(0x84 + items.Length));
                return;
            default:
                Op('(');
                foreach (object? item in items)
                {
                    Write(item, depth + 1);
                }

                Op('t');
                return;
        }
    }

    private void WriteList(object list, IEnumerable items, int depth)
    {
        if (containers.TryGetValue(list, out uint memo))
        {
            Get(memo);
            return;
        }

        Op(']');
        containers[list] = Put();
        int n = 0;
        foreach (object? item in items)
        {
            if (n % 1000 == 0)
            {
                if (n > 0)
                {
                    Op('e');
                }

                Op('(');
            }

            Write(item, depth + 1);
            n++;
        }

        if (n > 0)
        {
            Op('e');
        }
    }

    private void WriteDict(object dict, IEnumerable<(object Key, object? Value)> items, int depth)
    {
        if (containers.TryGetValue(dict, out uint memo))
        {
            Get(memo);
            return;
        }

        Op('}');
        containers[dict] = Put();
        int n = 0;
        foreach ((object key, object? value) in items)
        {
            if (key is not (string or bool or sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger or double or float or object?[] or ITuple))
            {
                throw new ArgumentException($"Torch.Save: a dictionary key of type {key?.GetType().FullName ?? "null"} has no pickled form; keys must be strings, integers, floats, bools or tuples.");
            }

            if (n % 1000 == 0)
            {
                if (n > 0)
                {
                    Op('u');
                }

                Op('(');
            }

            Write(key, depth + 1);
            Write(value, depth + 1);
            n++;
        }

        if (n > 0)
        {
            Op('u');
        }
    }

    private static IEnumerable<(object Key, object? Value)> Entries(IDictionary dict)
    {
        IDictionaryEnumerator e = dict.GetEnumerator();
        while (e.MoveNext())
        {
            yield return (e.Key, e.Value);
        }
    }

    private static IEnumerable<(object Key, object? Value)>? KeyValueSequence(object obj)
    {
        Type? pair = obj.GetType().GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            .Select(i => i.GetGenericArguments()[0])
            .FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(KeyValuePair<,>));
        if (pair is null)
        {
            return null;
        }

        var key = pair.GetProperty("Key")!;
        var value = pair.GetProperty("Value")!;
        return ((IEnumerable)obj).Cast<object>().Select(p => (key.GetValue(p)!, value.GetValue(p)));
    }

    private void WriteTensor(torch.Tensor t, bool requiresGrad)
    {
        TensorChecks.ThrowIfDisposed(t, "Torch.Save");
        if (NativeTensor.DeviceTypeOf(t) == DeviceType.META)
        {
            // As PyTorch: _rebuild_meta_tensor_no_storage(dtype, size, stride, requires_grad); a meta tensor has no data.
            Global("torch._utils", "_rebuild_meta_tensor_no_storage");
            Op('(');
            Write(t.dtype, 1);
            WriteInts(t.shape);
            WriteInts(t.stride());
            pickle.WriteByte(requiresGrad ? (byte)0x88 : (byte)0x89);
            Op('t');
            Op('R');
            return;
        }

        if (NativeTensor.IsSparseOf(t))
        {
            WriteSparse(t);
            return;
        }

        TensorInterop.CheckAlive(t, "Torch.Save");
        int elementSize = CheckpointDTypes.ElementSize(t.dtype);
        if (elementSize == 0)
        {
            throw new ArgumentException($"Torch.Save: tensors of dtype {CheckpointDTypes.Describe(t.dtype)} cannot be saved by TorchFacade.");
        }

        StorageRecord record = Storage(t, elementSize);
        string? storageClass = CheckpointDTypes.StorageClass(t.dtype);
        Global("torch._utils", storageClass is null ? "_rebuild_tensor_v3" : "_rebuild_tensor_v2");
        Op('(');
        Op('(');
        WriteString("storage");
        if (storageClass is null)
        {
            Global("torch.storage", "UntypedStorage");
        }
        else
        {
            Global("torch", storageClass);
        }

        WriteString(record.Key);
        WriteString(record.Location);
        WriteInt(storageClass is null ? record.Bytes : record.Bytes / elementSize);
        Op('t');
        Op('Q');
        WriteInt(t.storage_offset());
        WriteInts(t.shape);
        WriteInts(t.stride());
        pickle.WriteByte(requiresGrad ? (byte)0x88 : (byte)0x89);
        EmptyOrderedDict();
        if (storageClass is null)
        {
            Global("torch", CheckpointDTypes.TorchName(t.dtype)!);
        }

        Op('t');
        Op('R');
    }

    /// <summary>
    /// A sparse COO tensor as PyTorch 2.6 writes it: <c>_rebuild_sparse_tensor(_get_layout("torch.sparse_coo"),
    /// (indices, values, torch.Size(size), is_coalesced))</c>, indices and values as ordinary tensors. TorchSharp cannot
    /// read a tensor's coalesced flag, so <c>is_coalesced</c> is written False (PyTorch then treats the tensor as
    /// uncoalesced; its values are the same). PyTorch keeps no requires_grad for a sparse tensor either.
    /// </summary>
    private void WriteSparse(torch.Tensor t)
    {
        torch.Tensor indices = t.SparseIndices;
        owned.Add(indices);
        torch.Tensor values = t.SparseValues;
        owned.Add(values);
        Global("torch._utils", "_rebuild_sparse_tensor");
        Global("torch.serialization", "_get_layout");
        WriteString("torch.sparse_coo");
        pickle.WriteByte(0x85);
        Op('R');
        Op('(');
        WriteTensor(indices, requiresGrad: false);
        WriteTensor(values, requiresGrad: false);
        Global("torch", "Size");
        WriteInts(t.shape);
        pickle.WriteByte(0x85);
        Op('R');
        pickle.WriteByte(0x89);
        Op('t');
        pickle.WriteByte(0x86);
        Op('R');
    }

    private StorageRecord Storage(torch.Tensor t, int elementSize)
    {
        IntPtr start = StorageInfo.Base(t);
        long bytes = StorageInfo.Bytes(t);
        var key = (start, t.device_type, t.device_index);
        if (start != IntPtr.Zero && storages.TryGetValue(key, out StorageRecord? known))
        {
            if (known.Tensor.dtype != t.dtype)
            {
                throw new ArgumentException($"Cannot save multiple tensors or storages that view the same data as different types: {CheckpointDTypes.Describe(known.Tensor.dtype)} and {CheckpointDTypes.Describe(t.dtype)}. Clone one of them first.");
            }

            return known;
        }

        if (bytes % elementSize != 0)
        {
            throw new ArgumentException($"Torch.Save: the tensor's storage holds {bytes} bytes, not a whole number of {CheckpointDTypes.Describe(t.dtype)} elements.");
        }

        string location = t.device_type == DeviceType.CPU ? "cpu" : t.device.ToString();
        var record = new StorageRecord(ordered.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), t, bytes, location);
        ordered.Add(record);
        if (start != IntPtr.Zero)
        {
            storages[key] = record;
        }

        return record;
    }

    private void EmptyOrderedDict()
    {
        Global("collections", "OrderedDict");
        Op(')');
        Op('R');
    }

    private void WriteInts(long[] values)
    {
        object?[] boxed = values.Select(v => (object?)v).ToArray();
        WriteTuple(boxed, 0);
    }

    private void Global(string module, string name)
    {
        string full = module + "\n" + name + "\n";
        if (globals.TryGetValue(full, out uint memo))
        {
            Get(memo);
            return;
        }

        Op('c');
        byte[] text = Encoding.UTF8.GetBytes(full);
        pickle.Write(text);
        globals[full] = Put();
    }

    private uint Put()
    {
        uint index = nextMemo++;
        if (index < 256)
        {
            Op('q');
            pickle.WriteByte((byte)index);
        }
        else
        {
            Op('r');
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, index);
            pickle.Write(b);
        }

        return index;
    }

    private void Get(uint index)
    {
        if (index < 256)
        {
            Op('h');
            pickle.WriteByte((byte)index);
        }
        else
        {
            Op('j');
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, index);
            pickle.Write(b);
        }
    }

    private void WriteString(string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        Op('X');
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        pickle.Write(length);
        pickle.Write(bytes);
    }

    private void WriteInt(long v)
    {
        Span<byte> b = stackalloc byte[4];
        if (v is >= 0 and < 256)
        {
            Op('K');
            pickle.WriteByte((byte)v);
        }
        else if (v is >= 0 and < 65536)
        {
            Op('M');
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v);
            pickle.Write(b[..2]);
        }
        else if (v is >= int.MinValue and <= int.MaxValue)
        {
            Op('J');
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)v);
            pickle.Write(b);
        }
        else
        {
            WriteInt(new BigInteger(v));
        }
    }

    private void WriteInt(BigInteger v)
    {
        if (v >= int.MinValue && v <= int.MaxValue)
        {
            WriteInt((long)v);
            return;
        }

        byte[] bytes = v.ToByteArray(isUnsigned: false, isBigEndian: false);
        if (bytes.Length > 255)
        {
            throw new ArgumentException("Torch.Save: an integer needs more than 255 bytes; protocol 2's LONG1 cannot hold it.");
        }

        pickle.WriteByte(0x8a);
        pickle.WriteByte((byte)bytes.Length);
        pickle.Write(bytes);
    }

    private void WriteFloat(double d)
    {
        Op('G');
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, d);
        pickle.Write(b);
    }

    private void Op(char op) => pickle.WriteByte((byte)op);

    /// <summary>One storage to write: its key, a tensor over it, its size and device.</summary>
    private sealed record StorageRecord(string Key, torch.Tensor Tensor, long Bytes, string Location);
}
