using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Hugging Face's safetensors format: <c>safetensors.torch.load_file</c> / <c>save_file</c> for dictionaries of tensors.
/// Every rule of the format is checked before anything is allocated (8-byte little-endian header length, a JSON header
/// of at most 100,000,000 bytes, offsets that cover the data with no hole and no overlap, no duplicate names,
/// <c>__metadata__</c> a string-to-string map); every dtype of the format loads (<c>BOOL</c>, <c>U8</c>, <c>I8</c>,
/// <c>I16</c>, <c>U16</c>, <c>I32</c>, <c>U32</c>, <c>I64</c>, <c>U64</c>, <c>F16</c>, <c>BF16</c>, <c>F32</c>, <c>F64</c>,
/// <c>C64</c>, the <c>F8_*</c> variants); those TorchSharp has no name for (uint16/32/64, float8) load with LibTorch's own
/// <see cref="torch.ScalarType"/> value (<c>(ScalarType)27</c> is uint16). Sharded checkpoints load through their
/// <c>model.safetensors.index.json</c>.
/// </summary>
public static class Safetensors
{
    /// <summary>
    /// <c>safetensors.torch.load_file(path)</c>: every tensor of the file, by name (in name order, as Python's
    /// <c>load_file</c> returns them). <paramref name="path"/> may also be a sharded checkpoint's index
    /// (<c>*.safetensors.index.json</c> with its <c>weight_map</c>): then every shard it names is loaded (from the
    /// index's folder) and each tensor is checked to be in the shard the index says.
    /// </summary>
    /// <param name="path">The <c>.safetensors</c> file, or a sharded checkpoint's <c>.index.json</c>.</param>
    /// <param name="memoryMap">
    /// <see langword="false"/> (default): read the data into tensors that own their memory.
    /// <see langword="true"/>: map the file copy-on-write and return tensors that alias the mapping (constant time in
    /// the file's size, nothing read until touched, as <c>safe_open</c> does); the file is never modified, writes stay
    /// private to the process, and the mapping lives until every tensor from it is disposed or finalized. A tensor whose
    /// data is not aligned for its dtype (only hand-made files) is read instead.
    /// </param>
    /// <returns>The tensors (CPU), keyed by name.</returns>
    /// <exception cref="CheckpointFormatException">The file breaks a rule of the format (the message says which).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyDictionary<string, torch.Tensor> Load(string path, bool memoryMap = false)
    {
        TensorChecks.ThrowIfNull(path, "Safetensors.Load");
        NativeRuntime.EnsureAvailable();
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return LoadSharded(path, memoryMap);
        }

        var result = new OrderedDictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach ((string name, torch.Tensor t) in LoadFile(path, memoryMap).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                result.Add(name, t);
            }
        }
        catch
        {
            DisposeAll(result.Values);
            throw;
        }

        return result;
    }

    /// <summary>
    /// The file's <c>__metadata__</c> (<c>safe_open(path).metadata()</c>): the string-to-string map the writer stored,
    /// empty if it stored none. Only the header is read; for a sharded index, the index's own <c>metadata</c> object
    /// (its non-string values as JSON text).
    /// </summary>
    /// <param name="path">The <c>.safetensors</c> file or sharded index.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="CheckpointFormatException">The header breaks a rule of the format.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyDictionary<string, string> Metadata(string path)
    {
        TensorChecks.ThrowIfNull(path, "Safetensors.Metadata");
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return ReadIndex(path).Metadata;
        }

        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return SafetensorsHeader.Read(handle, RandomAccess.GetLength(handle), path).Metadata;
    }

    /// <summary>
    /// <c>safetensors.torch.save_file(tensors, path, metadata)</c>: writes the tensors in the reference writer's layout
    /// (by descending dtype alignment, then by name; header padded with spaces to a multiple of 8 bytes so every tensor's
    /// data is aligned). Refuses, as Python does, tensors that are not contiguous and tensors that share memory with
    /// another tensor being saved; tensors on other devices are copied to the CPU first.
    /// </summary>
    /// <param name="path">The file to create or replace (written to a temporary file, then renamed over it).</param>
    /// <param name="tensors">The tensors by name.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> (written in the given order).</param>
    /// <exception cref="ArgumentException">A tensor is not contiguous, shares memory with another, has a dtype the format lacks (complex128), or a name is <c>__metadata__</c>.</exception>
    /// <exception cref="ObjectDisposedException">A tensor was disposed.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        TensorChecks.ThrowIfNull(path, "Safetensors.Save");
        TensorChecks.ThrowIfNull(tensors, "Safetensors.Save");
        NativeRuntime.EnsureAvailable();
        var items = new List<(string Name, torch.Tensor Tensor, string Code, int Rank)>();
        foreach ((string name, torch.Tensor t) in tensors)
        {
            TensorChecks.ThrowIfNull(name, "Safetensors.Save", nameof(tensors));
            TensorInterop.CheckAlive(t, "Safetensors.Save");
            if (name == "__metadata__")
            {
                throw new ArgumentException("Safetensors.Save: A tensor cannot be named \"__metadata__\": the format reserves that key for the metadata map. Rename it.");
            }

            if (!SafetensorsDType.TryCodeOf(t.dtype, out string code, out int rank))
            {
                throw new ArgumentException($"Safetensors.Save: The tensor \"{name}\" has dtype {CheckpointDTypes.Describe(t.dtype)}, which the safetensors format cannot hold; convert it first (complex128 as torch.view_as_real(t)), or use Torch.Save.");
            }

            if (!t.is_contiguous())
            {
                throw new ArgumentException($"Safetensors.Save: You are trying to save a non contiguous tensor: `{name}` which is not allowed. It either means you are trying to save tensors which are reference of each other in which case it's recommended to save only the full tensors, and reslice at load time, or simply call `.contiguous()` on your tensor to pack it before saving.");
            }

            items.Add((name, t, code, rank));
        }

        CheckNoSharedMemory(items.Select(i => (i.Name, i.Tensor)).ToList());
        items.Sort((a, b) => a.Rank != b.Rank ? b.Rank.CompareTo(a.Rank) : string.CompareOrdinal(a.Name, b.Name));
        byte[] header = Header(items, metadata);
        Npy.WriteReplacing(path, stream => WriteBody(stream, header, items), bufferSize: 1);
    }

    private static unsafe void WriteBody(FileStream stream, byte[] header, List<(string Name, torch.Tensor Tensor, string Code, int Rank)> items)
    {
        Span<byte> length = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var item in items)
        {
            long bytes = item.Tensor.numel() * CheckpointDTypes.ElementSize(item.Tensor.dtype);
            if (bytes == 0)
            {
                continue;
            }

            torch.Tensor? cpu = item.Tensor.device_type == DeviceType.CPU ? null : item.Tensor.cpu();
            try
            {
                CheckpointIO.Write(stream, (byte*)TensorInterop.DataPointer(cpu ?? item.Tensor), bytes);
            }
            finally
            {
                cpu?.Dispose();
            }
        }
    }

    private static byte[] Header(List<(string Name, torch.Tensor Tensor, string Code, int Rank)> items, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject("__metadata__");
                foreach ((string key, string value) in metadata)
                {
                    TensorChecks.ThrowIfNull(key, "Safetensors.Save", nameof(metadata));
                    TensorChecks.ThrowIfNull(value, "Safetensors.Save", nameof(metadata));
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var item in items)
            {
                long bytes = item.Tensor.numel() * CheckpointDTypes.ElementSize(item.Tensor.dtype);
                json.WriteStartObject(item.Name);
                json.WriteString("dtype", item.Code);
                json.WriteStartArray("shape");
                foreach (long d in item.Tensor.shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        int padding = (8 - (buffer.WrittenCount % 8)) % 8;
        byte[] header = new byte[buffer.WrittenCount + padding];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>
    /// Python's check: tensors over one storage whose byte ranges overlap cannot be saved (they would load as separate
    /// copies); tensors over disjoint parts of one storage can.
    /// </summary>
    private static void CheckNoSharedMemory(List<(string Name, torch.Tensor Tensor)> items)
    {
        var groups = new Dictionary<(DeviceType, int, IntPtr, long), List<(long Start, long Stop, string Name)>>();
        foreach ((string name, torch.Tensor t) in items)
        {
            long storageBytes = StorageInfo.Bytes(t);
            IntPtr storage = StorageInfo.Base(t);
            if (storage == IntPtr.Zero || storageBytes == 0)
            {
                continue;
            }

            long start = (long)TensorInterop.DataPointer(t);
            long stop = start + (t.numel() * CheckpointDTypes.ElementSize(t.dtype));
            var key = (t.device_type, t.device_index, storage, storageBytes);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add((start, stop, name));
        }

        var failing = new List<string>();
        foreach (var list in groups.Values.Where(l => l.Count > 1))
        {
            list.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Stop.CompareTo(b.Stop));
            var current = new SortedSet<string>(StringComparer.Ordinal) { list[0].Name };
            long lastStop = list[0].Stop;
            foreach (var area in list.Skip(1))
            {
                if (area.Start >= lastStop)
                {
                    if (current.Count > 1)
                    {
                        failing.Add("{" + string.Join(", ", current.Select(n => $"'{n}'")) + "}");
                    }

                    current = new SortedSet<string>(StringComparer.Ordinal) { area.Name };
                }
                else
                {
                    current.Add(area.Name);
                }

                lastStop = area.Stop;
            }

            if (current.Count > 1)
            {
                failing.Add("{" + string.Join(", ", current.Select(n => $"'{n}'")) + "}");
            }
        }

        if (failing.Count > 0)
        {
            throw new ArgumentException($"Some tensors share memory, this will lead to duplicate memory on disk and potential differences when loading them again: [{string.Join(", ", failing)}]. "
                + "Save one tensor per storage (clone the others: t.clone()), or save them with Torch.Save, which keeps storage sharing.");
        }
    }

    /// <summary>Loads one file's tensors (in offset order).</summary>
    internal static List<KeyValuePair<string, torch.Tensor>> LoadFile(string path, bool memoryMap)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long length = RandomAccess.GetLength(handle);
        SafetensorsHeader header = SafetensorsHeader.Read(handle, length, path);
        var result = new List<KeyValuePair<string, torch.Tensor>>(header.Entries.Count);
        MappedCheckpointFile? map = memoryMap && length > header.DataStart ? MappedCheckpointFile.Open(path, length) : null;
        try
        {
            foreach (SafetensorsHeader.Entry e in header.Entries)
            {
                long offset = header.DataStart + e.Start;
                torch.Tensor t;
                if (e.Bytes == 0)
                {
                    t = torch.empty(e.Shape, e.Type);
                }
                else if (map is not null && offset % CheckpointDTypes.Alignment(e.Type) == 0)
                {
                    t = map.Alias(offset, e.Shape, e.Type);
                }
                else
                {
                    t = CheckpointIO.ReadTensor(handle, offset, e.Bytes, e.Shape, e.Type, path);
                }

                result.Add(new(e.Name, t));
            }
        }
        catch
        {
            DisposeAll(result.Select(p => p.Value));
            throw;
        }
        finally
        {
            map?.Dispose();
        }

        return result;
    }

    private static IReadOnlyDictionary<string, torch.Tensor> LoadSharded(string indexPath, bool memoryMap)
    {
        ShardIndex index = ReadIndex(indexPath);
        string folder = Path.GetDirectoryName(Path.GetFullPath(indexPath)) ?? ".";
        var loaded = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (string shard in index.WeightMap.Values.Distinct(StringComparer.Ordinal))
            {
                string shardPath = Path.Combine(folder, shard);
                foreach ((string name, torch.Tensor t) in LoadFile(shardPath, memoryMap))
                {
                    if (!index.WeightMap.TryGetValue(name, out string? expected) || expected != shard)
                    {
                        t.Dispose();
                        throw new CheckpointFormatException(indexPath, expected is null
                            ? $"the shard {shard} holds the tensor \"{name}\", which the index's weight_map does not list; the index does not match its shards."
                            : $"the tensor \"{name}\" is in the shard {shard} but the index's weight_map puts it in {expected}; the index does not match its shards.", "ValueError");
                    }

                    if (!loaded.TryAdd(name, t))
                    {
                        t.Dispose();
                        throw new CheckpointFormatException(indexPath, $"the tensor \"{name}\" is in more than one shard.", "ValueError");
                    }
                }
            }

            foreach ((string name, string shard) in index.WeightMap)
            {
                if (!loaded.ContainsKey(name))
                {
                    throw new CheckpointFormatException(indexPath, $"the index's weight_map puts \"{name}\" in {shard}, but that shard does not hold it; the index does not match its shards.", "ValueError");
                }
            }
        }
        catch
        {
            DisposeAll(loaded.Values);
            throw;
        }

        var result = new OrderedDictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (string name in loaded.Keys.OrderBy(n => n, StringComparer.Ordinal))
        {
            result.Add(name, loaded[name]);
        }

        return result;
    }

    private static ShardIndex ReadIndex(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("weight_map", out JsonElement map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointFormatException(path, "a sharded checkpoint index must be a JSON object with a \"weight_map\" object mapping tensor names to shard files.", "ValueError");
            }

            var weights = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty p in map.EnumerateObject())
            {
                string? file = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                if (string.IsNullOrEmpty(file) || Path.IsPathRooted(file) || file.Split('/', '\\').Contains(".."))
                {
                    throw new CheckpointFormatException(path, $"weight_map[\"{p.Name}\"] must name a shard file in the index's folder (no absolute path, no \"..\").", "ValueError");
                }

                if (!weights.TryAdd(p.Name, file))
                {
                    throw new CheckpointFormatException(path, $"weight_map lists \"{p.Name}\" twice.", "ValueError");
                }
            }

            var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("metadata", out JsonElement meta) && meta.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in meta.EnumerateObject())
                {
                    metadata[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                }
            }

            return new ShardIndex(weights, metadata);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(path, $"the sharded checkpoint index is not valid JSON: {ex.Message}", "ValueError", ex);
        }
    }

    private static void DisposeAll(IEnumerable<torch.Tensor> tensors)
    {
        foreach (torch.Tensor t in tensors)
        {
            t.Dispose();
        }
    }

    private sealed record ShardIndex(OrderedDictionary<string, string> WeightMap, OrderedDictionary<string, string> Metadata);
}
