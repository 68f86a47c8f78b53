using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// A parsed and fully validated safetensors header: the rules of the reference library (8-byte little-endian length,
/// at most 100,000,000 header bytes, UTF-8 JSON object, <c>__metadata__</c> a string-to-string map, every tensor's
/// <c>data_offsets</c> consistent with its dtype and shape, the offsets covering the data buffer with no hole and no
/// overlap, the buffer ending exactly at the end of the file) plus no duplicate names. Nothing is allocated beyond
/// the header bytes, which the file's length bounds.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The reference library's limit on the JSON header.</summary>
    internal const long MaxHeaderBytes = 100_000_000;

    private const string Kind = "SafetensorError";

    private SafetensorsHeader(long dataStart, List<Entry> entries, OrderedDictionary<string, string> metadata)
    {
        DataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>Where the data buffer begins in the file (8 + header length).</summary>
    internal long DataStart { get; }

    /// <summary>The tensors, in order of their offsets.</summary>
    internal List<Entry> Entries { get; }

    /// <summary>The <c>__metadata__</c> map (empty when absent).</summary>
    internal OrderedDictionary<string, string> Metadata { get; }

    /// <summary>Reads and validates the header of an open file of <paramref name="fileLength"/> bytes.</summary>
    /// <exception cref="CheckpointFormatException">Any rule is broken.</exception>
    internal static SafetensorsHeader Read(SafeFileHandle handle, long fileLength, string path)
    {
        if (fileLength < 8)
        {
            throw Error(path, $"Error while deserializing header: HeaderTooSmall (the file has {fileLength} bytes; a safetensors file starts with an 8-byte header length).");
        }

        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(handle, prefix, 0, path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderBytes)
        {
            throw Error(path, $"Error while deserializing header: HeaderTooLarge (the header claims {n} bytes; the format allows at most {MaxHeaderBytes}). The file is not a safetensors file or is corrupt.");
        }

        if ((long)n > fileLength - 8)
        {
            throw Error(path, $"Error while deserializing header: InvalidHeaderLength (the header claims {n} bytes but the file has only {fileLength - 8} after the length); the file is truncated or not a safetensors file.");
        }

        byte[] json = GC.AllocateUninitializedArray<byte>((int)n);
        ReadExactly(handle, json, 8, path);
        return Parse(json, 8 + (long)n, fileLength, path);
    }

    private static SafetensorsHeader Parse(byte[] json, long dataStart, long fileLength, string path)
    {
        if (json.Length == 0 || json[0] != (byte)'{')
        {
            throw Error(path, "Error while deserializing header: InvalidHeaderStart (the JSON header must be an object starting with '{').");
        }

        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw Error(path, "Error while deserializing header: InvalidHeader (the header is not valid UTF-8).");
        }

        try
        {
            return ParseJson(json, dataStart, fileLength, path);
        }
        catch (InvalidOperationException ex)
        {
            // A string the JSON reader accepted but cannot decode (an unpaired surrogate escape such as "\ud800").
            throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization ({ex.Message})", ex);
        }
    }

    private static SafetensorsHeader ParseJson(byte[] json, long dataStart, long fileLength, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization ({ex.Message})", ex);
        }
        catch (ArgumentException ex)
        {
            throw Error(path, $"Error while deserializing header: InvalidHeader (the header is not valid UTF-8: {ex.Message})", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "Error while deserializing header: InvalidHeaderDeserialization (the header is not a JSON object).");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                string name = property.Name;
                if (!names.Add(name))
                {
                    throw Error(path, $"Error while deserializing header: the name \"{name}\" appears twice in the header; every tensor name must be unique.");
                }

                if (name == "__metadata__")
                {
                    ReadMetadata(property.Value, metadata, path);
                    continue;
                }

                entries.Add(ReadEntry(name, property.Value, path));
            }

            entries.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
            long position = 0;
            foreach (Entry e in entries)
            {
                if (e.Start != position || e.End < e.Start)
                {
                    string what = e.Start > position ? $"leaves a hole: bytes {position}..{e.Start} belong to no tensor"
                        : e.End < e.Start ? "ends before it starts"
                        : $"overlaps the previous tensor, which ends at {position}";
                    throw Error(path, $"Error while deserializing header: InvalidOffset(\"{e.Name}\") (its data_offsets [{e.Start}, {e.End}] {what}); the offsets must cover the data buffer with no hole and no overlap.");
                }

                position = e.End;
            }

            long buffer = fileLength - dataStart;
            if (position != buffer)
            {
                throw Error(path, $"Error while deserializing header: MetadataIncompleteBuffer (the tensors cover {position} bytes but the file holds {buffer} bytes of data after the header); the file is truncated or has trailing bytes.");
            }

            return new SafetensorsHeader(dataStart, entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, OrderedDictionary<string, string> metadata, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "Error while deserializing header: InvalidHeaderDeserialization (__metadata__ must be an object mapping strings to strings).");
        }

        foreach (JsonProperty p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization (__metadata__[\"{p.Name}\"] is a {p.Value.ValueKind}, but metadata values must be strings).");
            }

            if (!metadata.TryAdd(p.Name, p.Value.GetString()!))
            {
                throw Error(path, $"Error while deserializing header: the key \"{p.Name}\" appears twice in __metadata__.");
            }
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization (the entry \"{name}\" is not an object with dtype, shape and data_offsets).");
        }

        string? code = null;
        long[]? shape = null;
        long[]? offsets = null;
        foreach (JsonProperty p in value.EnumerateObject())
        {
            switch (p.Name)
            {
                case "dtype":
                    code = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization (\"{name}\".dtype is not a string).");
                    break;
                case "shape":
                    shape = ReadUnsignedArray(p.Value, name, "shape", path);
                    break;
                case "data_offsets":
                    offsets = ReadUnsignedArray(p.Value, name, "data_offsets", path);
                    break;
            }
        }

        if (code is null || shape is null || offsets is null)
        {
            string missing = code is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization (the entry \"{name}\" has no {missing}).");
        }

        if (offsets.Length != 2)
        {
            throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization (\"{name}\".data_offsets has {offsets.Length} numbers; it must be [begin, end]).");
        }

        if (!SafetensorsDType.TryParse(code, out int rank, out torch.ScalarType type, out int bits))
        {
            throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization (\"{name}\" has dtype \"{code}\", which the format does not define; it defines {SafetensorsDType.AllCodes}).");
        }

        long elements = 1;
        foreach (long d in shape)
        {
            try
            {
                elements = checked(elements * d);
            }
            catch (OverflowException)
            {
                throw Error(path, $"Error while deserializing header: ValidationOverflow (the shape [{string.Join(", ", shape)}] of \"{name}\" has more elements than can be counted).");
            }
        }

        if (bits % 8 != 0)
        {
            throw Error(path, $"\"{name}\" has the sub-byte dtype {code}, which LibTorch cannot hold as a tensor; TorchFacade cannot load it.", "NotImplementedError");
        }

        long bytes;
        try
        {
            bytes = checked(elements * (bits / 8));
        }
        catch (OverflowException)
        {
            throw Error(path, $"Error while deserializing header: ValidationOverflow (\"{name}\" needs more bytes than can be counted).");
        }

        if (offsets[1] >= offsets[0] && offsets[1] - offsets[0] != bytes)
        {
            throw Error(path, $"Error while deserializing header: TensorInvalidInfo (\"{name}\" is {code} of shape [{string.Join(", ", shape)}], {bytes} bytes, but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]} bytes).");
        }

        return new Entry(name, code, rank, type, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadUnsignedArray(JsonElement value, string name, string field, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization (\"{name}\".{field} is not an array of non-negative integers).");
        }

        int count = value.GetArrayLength();
        var result = new long[count];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
            {
                throw Error(path, $"Error while deserializing header: InvalidHeaderDeserialization (\"{name}\".{field}[{i}] is {item.GetRawText()}, not a non-negative integer that fits in 63 bits).");
            }

            result[i++] = v;
        }

        return result;
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> target, long offset, string path)
    {
        for (int done = 0; done < target.Length;)
        {
            int got = RandomAccess.Read(handle, target[done..], offset + done);
            if (got <= 0)
            {
                throw Error(path, "the file ended inside the header; it is truncated.");
            }

            done += got;
        }
    }

    private static CheckpointFormatException Error(string path, string problem, string kind = Kind, Exception? inner = null) =>
        new(path, problem, kind, inner);

    private static CheckpointFormatException Error(string path, string problem, Exception inner) => new(path, problem, Kind, inner);

    /// <summary>One tensor of the header.</summary>
    internal sealed record Entry(string Name, string Code, int Rank, torch.ScalarType Type, long[] Shape, long Start, long End)
    {
        /// <summary>The data's length in bytes.</summary>
        internal long Bytes => End - Start;
    }
}
