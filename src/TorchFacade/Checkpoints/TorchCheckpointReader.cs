using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Reads a <c>torch.save</c> checkpoint (PyTorch's zip format: <c>&lt;archive&gt;/data.pkl</c>, <c>byteorder</c>,
/// <c>data/&lt;key&gt;</c> storages, <c>version</c>) with the weights-only unpickler. Each storage is read (or mapped)
/// once, as one LibTorch tensor, and every tensor over it is an <c>as_strided</c> view of it with the saved offset and
/// strides (checked against the storage's size first), so storage sharing survives the load.
/// </summary>
internal sealed class TorchCheckpointReader
{
    private readonly string path;
    private readonly ZipReader zip;
    private readonly string prefix;
    private readonly bool bigEndian;
    private readonly MappedCheckpointFile? map;
    private readonly Dictionary<string, PickleStorage> storages = new(StringComparer.Ordinal);
    private readonly List<torch.Tensor> views = [];

    private TorchCheckpointReader(string path, ZipReader zip, string prefix, bool bigEndian, MappedCheckpointFile? map)
    {
        this.path = path;
        this.zip = zip;
        this.prefix = prefix;
        this.bigEndian = bigEndian;
        this.map = map;
    }

    /// <summary><c>torch.load(path, weights_only=True, mmap=memoryMap)</c>.</summary>
    internal static object? Load(string path, bool memoryMap)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long length = RandomAccess.GetLength(handle);
        CheckFormat(handle, length, path);
        ZipReader zip = ZipReader.Open(handle, length, path);
        string prefix = Prefix(zip, path);
        ZipReader.Entry pickle = zip.Find(prefix + "data.pkl") ?? throw Missing(zip, prefix, path);
        bool bigEndian = false;
        if (zip.Find(prefix + "byteorder") is { } order)
        {
            if (order.Size > 6)
            {
                // "little" or "big": a longer record is refused unread (a fuzzed file padded it to megabytes of deflated zeros).
                throw new CheckpointFormatException(path, $"the byteorder record is {order.Size} bytes; it must say \"little\" or \"big\".", "ValueError");
            }

            string text = System.Text.Encoding.ASCII.GetString(zip.ReadAll(order));
            bigEndian = text switch
            {
                "little" => false,
                "big" => true,
                _ => throw new CheckpointFormatException(path, $"the byteorder record says \"{(text.Length > 20 ? text[..20] : text)}\"; it must be \"little\" or \"big\".", "ValueError"),
            };
        }

        byte[] data = zip.ReadAll(pickle);
        MappedCheckpointFile? map = memoryMap ? MappedCheckpointFile.Open(path, length) : null;
        var reader = new TorchCheckpointReader(path, zip, prefix, bigEndian, map);
        try
        {
            var unpickler = new WeightsOnlyUnpickler(data, $"{path}:{pickle.Name}", reader.PersistentLoad, reader.Rebuild);
            return unpickler.Load();
        }
        catch
        {
            foreach (torch.Tensor v in reader.views)
            {
                v.Dispose();
            }

            throw;
        }
        finally
        {
            foreach (PickleStorage s in reader.storages.Values)
            {
                s.Tensor?.Dispose();
            }

            map?.Dispose();
        }
    }

    private static void CheckFormat(SafeFileHandle handle, long length, string path)
    {
        Span<byte> head = stackalloc byte[(int)Math.Min(length, 512)];
        int got = RandomAccess.Read(handle, head, 0);
        head = head[..got];
        if (head.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == 0x04034b50)
        {
            return;
        }

        bool legacyPickle = head.Length >= 2 && head[0] == 0x80 && head[1] <= 5;
        bool legacyTar = head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8);
        if (legacyPickle || legacyTar)
        {
            throw new CheckpointFormatException(path,
                "the file is in PyTorch's legacy serialization format (written by PyTorch before 1.6, or with _use_new_zipfile_serialization=False), "
                + "which TorchFacade does not read. Re-save it in the zip format in Python: torch.save(torch.load(path, weights_only=True), path) "
                + "(PyTorch 1.6 and later write the zip format by default).",
                "RuntimeError");
        }

        if (head.Length >= 9 && BinaryPrimitives.ReadUInt64LittleEndian(head) < SafetensorsHeader.MaxHeaderBytes && head[8] == (byte)'{')
        {
            throw new CheckpointFormatException(path, "the file is a safetensors file, not a torch.save checkpoint; load it with Safetensors.Load.", "RuntimeError");
        }

        throw new CheckpointFormatException(path,
            "PytorchStreamReader failed reading zip archive: failed finding central directory. The file is not a torch.save checkpoint (zip format), or it is truncated.",
            "RuntimeError");
    }

    private static string Prefix(ZipReader zip, string path)
    {
        if (zip.Entries.Count == 0)
        {
            throw new CheckpointFormatException(path, "the zip archive is empty; a torch.save checkpoint holds <archive>/data.pkl.", "RuntimeError");
        }

        string first = zip.Entries[0].Name;
        int slash = first.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : first[..(slash + 1)];
    }

    private static CheckpointFormatException Missing(ZipReader zip, string prefix, string path)
    {
        bool torchScript = zip.Find(prefix + "constants.pkl") is not null || zip.Entries.Any(e => e.Name.StartsWith(prefix + "code/", StringComparison.Ordinal));
        return new CheckpointFormatException(path, torchScript
                ? "the file is a TorchScript archive (torch.jit.save), not a torch.save checkpoint. In Python, save its weights: torch.save(torch.jit.load(path).state_dict(), 'weights.pt')."
                : $"PytorchStreamReader failed locating file {prefix}data.pkl: file not found. The zip archive is not a torch.save checkpoint.",
            "RuntimeError");
    }

    private PickleStorage PersistentLoad(object? pid)
    {
        var t = (object?[])pid!;
        if (t.Length != 5 || t[1] is not PickleGlobal { Kind: PickleGlobalKind.Storage } type || t[2] is not string key || t[3] is not string location || t[4] is not long count || count < 0)
        {
            throw new CheckpointFormatException(path, $"the pickle is malformed: a storage id must be ('storage', storage_type, key, location, numel), got {WeightsOnlyUnpickler.Describe(pid)}.", "UnpicklingError");
        }

        var dtype = type.Value as torch.ScalarType?;
        if (storages.TryGetValue(key, out PickleStorage? known))
        {
            return known;
        }

        var storage = new PickleStorage(key, dtype, count, location);
        storages[key] = storage;
        return storage;
    }

    private torch.Tensor Rebuild(PickleStorage storage, torch.ScalarType? requested, long offset, long[] size, long[] stride)
    {
        torch.ScalarType dtype = storage.DType ?? requested ?? throw Bad($"the tensor over the untyped storage data/{storage.Key} names no dtype.");
        if (requested is { } r && storage.DType is { } s && r != s)
        {
            throw Bad($"a tensor of dtype {CheckpointDTypes.Describe(r)} is rebuilt over the {CheckpointDTypes.Describe(s)} storage data/{storage.Key}.");
        }

        int elementSize = CheckpointDTypes.ElementSize(dtype);
        if (elementSize == 0)
        {
            throw new CheckpointFormatException(path, $"the storage data/{storage.Key} has dtype {CheckpointDTypes.Describe(dtype)}, which TorchFacade cannot load.", "NotImplementedError");
        }

        if (storage.Tensor is null)
        {
            storage.Tensor = LoadStorage(storage, dtype, elementSize);
        }
        else if (storage.Tensor.dtype != dtype)
        {
            throw new CheckpointFormatException(path, $"two tensors view the storage data/{storage.Key} as different dtypes ({CheckpointDTypes.Describe(storage.Tensor.dtype)} and {CheckpointDTypes.Describe(dtype)}); TorchFacade cannot rebuild that.", "NotImplementedError");
        }

        long numel = storage.Tensor.shape[0];
        CheckView(storage, numel, offset, size, stride);
        torch.Tensor view = storage.Tensor.as_strided(size, stride, offset);
        views.Add(view);
        return view;
    }

    private void CheckView(PickleStorage storage, long numel, long offset, long[] size, long[] stride)
    {
        if (size.Length != stride.Length)
        {
            throw Bad($"a tensor over data/{storage.Key} has {size.Length} sizes but {stride.Length} strides.");
        }

        if (offset < 0 || size.Any(d => d < 0) || stride.Any(d => d < 0))
        {
            throw Bad($"a tensor over data/{storage.Key} has a negative size, stride or offset (size [{string.Join(", ", size)}], stride [{string.Join(", ", stride)}], offset {offset}).");
        }

        try
        {
            long elements = size.Aggregate(1L, (a, d) => checked(a * d));
            long last = offset;
            if (elements > 0)
            {
                for (int i = 0; i < size.Length; i++)
                {
                    last = checked(last + ((size[i] - 1) * stride[i]));
                }
            }

            if ((elements > 0 && last >= numel) || offset > numel)
            {
                throw Bad($"a tensor of size [{string.Join(", ", size)}], stride [{string.Join(", ", stride)}] at offset {offset} reaches element {last} of the storage data/{storage.Key}, which has {numel} elements.");
            }
        }
        catch (OverflowException)
        {
            throw Bad($"a tensor over data/{storage.Key} has a size and stride whose extent overflows.");
        }
    }

    private unsafe torch.Tensor LoadStorage(PickleStorage storage, torch.ScalarType dtype, int elementSize)
    {
        ZipReader.Entry record = zip.Find(prefix + "data/" + storage.Key)
            ?? throw new CheckpointFormatException(path, $"PytorchStreamReader failed locating file {prefix}data/{storage.Key}: file not found.", "RuntimeError");
        long bytes;
        try
        {
            bytes = storage.DType is null ? storage.Count : checked(storage.Count * elementSize);
        }
        catch (OverflowException)
        {
            throw Bad($"the storage data/{storage.Key} claims {storage.Count} elements, more bytes than can be counted.");
        }

        if (bytes % elementSize != 0 || record.Size != bytes)
        {
            throw Bad($"the storage data/{storage.Key} should hold {bytes} bytes ({storage.Count} {(storage.DType is null ? "bytes" : "elements")} of {CheckpointDTypes.Describe(dtype)}) but its record holds {record.Size}.");
        }

        long[] shape = [bytes / elementSize];
        if (bytes == 0)
        {
            return torch.empty(shape, dtype);
        }

        if (record.Method != 0)
        {
            byte[] inflated = zip.ReadAll(record);
            (torch.Tensor t, IntPtr p) = PinnedMemory.AllocateOwned(bytes, shape, dtype);
            inflated.AsSpan().CopyTo(new Span<byte>((void*)p, inflated.Length));
            Swap(p, bytes, dtype);
            return t;
        }

        if (map is not null && !bigEndian && record.DataOffset % CheckpointDTypes.Alignment(dtype) == 0)
        {
            return map.Alias(record.DataOffset, shape, dtype);
        }

        // PyTorch's reader checks no CRC-32 (LibTorch builds miniz with MINIZ_DISABLE_ZIP_READER_CRC32_CHECKS: a changed
        // storage byte loads silently in torch.load). This is stricter on purpose — never a silent wrong answer: every
        // record copied into memory is checked, storages too, each piece hashed on a second thread while the next is
        // read. A memory-mapped storage is not (that would read the whole file; a mapped load is O(1) in its size).
        (torch.Tensor tensor, IntPtr data) = PinnedMemory.AllocateOwned(bytes, shape, dtype);
        try
        {
            zip.CheckCrc(record, CheckpointIO.ReadHashed(zip.Handle, record.DataOffset, (byte*)data, bytes, path));
        }
        catch
        {
            tensor.Dispose();
            throw;
        }

        Swap(TensorInterop.DataPointer(tensor), bytes, dtype);
        return tensor;
    }

    private unsafe void Swap(IntPtr data, long bytes, torch.ScalarType dtype)
    {
        if (!bigEndian)
        {
            return;
        }

        int unit = dtype is torch.ScalarType.ComplexFloat32 or torch.ScalarType.ComplexFloat64 or CheckpointDTypes.ComplexHalf
            ? CheckpointDTypes.ElementSize(dtype) / 2
            : CheckpointDTypes.ElementSize(dtype);
        for (long done = 0; done < bytes;)
        {
            int n = (int)Math.Min(1 << 30, bytes - done);
            var chunk = new Span<byte>((byte*)data + done, n);
            switch (unit)
            {
                case 2:
                    BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(chunk), MemoryMarshal.Cast<byte, ushort>(chunk));
                    break;
                case 4:
                    BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(chunk), MemoryMarshal.Cast<byte, uint>(chunk));
                    break;
                case 8:
                    BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(chunk), MemoryMarshal.Cast<byte, ulong>(chunk));
                    break;
            }

            done += n;
        }
    }

    private CheckpointFormatException Bad(string problem) => new(path, "the checkpoint is malformed: " + problem, "RuntimeError");
}
