using System.Collections;
using System.IO.Compression;
using System.Text;
using TorchSharp;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>
/// A deterministic, seeded mutation fuzzer for both checkpoint readers. Safetensors inputs are mutated as bytes (mostly
/// in the length prefix and JSON header) and as JSON tokens; torch.save inputs are mutated as raw bytes (zip structure)
/// and, most often, inside <c>data.pkl</c> (opcode bytes, hostile GLOBALs, sizes, strides, offsets, storage ids), then
/// re-zipped with a correct CRC so the unpickler itself sees the mutant. Every input must load or raise
/// <see cref="CheckpointFormatException"/>; the fuzzer records anything else, and the largest managed allocation and
/// tensor bytes per input byte.
/// </summary>
internal sealed class CheckpointFuzzer(int seed)
{
    private static readonly byte[] Interesting = [0x00, 0xFF, 0x7F, 0x80, (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'"', (byte)',', (byte)':', (byte)'-', (byte)'9', (byte)'(', (byte)'t', (byte)'R', (byte)'.', (byte)'q', (byte)'h', (byte)'J', (byte)'K', (byte)'X', (byte)'c', (byte)'Q', (byte)'b', (byte)'e', (byte)'u', 0x81, 0x85, 0x86, 0x8a];

    private static readonly string[] JsonTokens =
    [
        "\"F32\"", "\"U64\"", "\"F4\"", "\"XX\"", "[0,18446744073709551615]", "[-1,4]", "[4,0]", "[0,99999999999]", "[9223372036854775807,2]",
        "[]", "[1,2,3]", "null", "{}", "\"__metadata__\"", "{\"a\":1}", "1.5", "[[[[[[[[[[1]]]]]]]]]]", "\"\\ud800\"", "true",
    ];

    private static readonly string[] Globals =
    [
        "os\nsystem\n", "posix\nsystem\n", "builtins\neval\n", "builtins\ngetattr\n", "subprocess\nPopen\n", "torch\nSize\n", "torch\nfloat16\n",
        "torch._utils\n_rebuild_qtensor\n", "collections\nOrderedDict\n", "torch\nFloatStorage\n", "torch.storage\nUntypedStorage\n",
        "torch._utils\n_rebuild_tensor_v3\n", "builtins\nset\n", "__builtin__\nset\n", "torch\nLongStorage\n", "torch.nested._internal.nested_tensor\nNestedTensor\n",
    ];

    private readonly Random random = new(seed);

    public int Loaded { get; private set; }

    public int Rejected { get; private set; }

    public double MaxManagedPerByte { get; private set; }

    public double MaxTensorBytesPerByte { get; private set; }

    public long MaxManagedBytes { get; private set; }

    public long MaxInputBytes { get; private set; }

    public List<string> Failures { get; } = [];

    /// <summary>Runs <paramref name="count"/> mutants of the seeds through <paramref name="load"/>, writing each to <paramref name="file"/>.</summary>
    public void Run(IReadOnlyList<byte[]> seeds, int count, string file, Func<byte[], byte[]> mutate, Func<string, object?> load)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] input = mutate(seeds[random.Next(seeds.Count)]);
            File.WriteAllBytes(file, input);
            MaxInputBytes = Math.Max(MaxInputBytes, input.Length);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                object? result = load(file);
                long managed = GC.GetAllocatedBytesForCurrentThread() - before;
                long tensorBytes = DisposeAll(result);
                MaxManagedPerByte = Math.Max(MaxManagedPerByte, managed / (double)Math.Max(1, input.Length));
                MaxManagedBytes = Math.Max(MaxManagedBytes, managed);
                MaxTensorBytesPerByte = Math.Max(MaxTensorBytesPerByte, tensorBytes / (double)Math.Max(1, input.Length));
                Loaded++;
            }
            catch (CheckpointFormatException)
            {
                long managed = GC.GetAllocatedBytesForCurrentThread() - before;
                MaxManagedPerByte = Math.Max(MaxManagedPerByte, managed / (double)Math.Max(1, input.Length));
                MaxManagedBytes = Math.Max(MaxManagedBytes, managed);
                Rejected++;
            }
            catch (Exception ex)
            {
                if (Failures.Count < 5)
                {
                    Failures.Add($"mutant {i} raised {ex.GetType().Name}: {ex.Message}\nbase64: {Convert.ToBase64String(input)}");
                }
                else
                {
                    Failures.Add(ex.GetType().Name);
                }
            }
        }
    }

    /// <summary>A byte-level mutant, mostly within the first <paramref name="hot"/> bytes.</summary>
    public byte[] MutateBytes(byte[] seed, int hot)
    {
        var data = new List<byte>(seed);
        int operations = 1 + random.Next(3);
        for (int k = 0; k < operations && data.Count > 0; k++)
        {
            int span = random.Next(4) == 0 ? data.Count : Math.Min(data.Count, hot);
            int at = random.Next(span);
            switch (random.Next(6))
            {
                case 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    data[at] = (byte)random.Next(256);
                    break;
                case 3:
                    int keep = random.Next(data.Count);
                    data.RemoveRange(keep, data.Count - keep);
                    break;
                case 4:
                    data.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => Interesting[random.Next(Interesting.Length)]));
                    break;
                default:
                    data.RemoveRange(at, Math.Min(1 + random.Next(8), data.Count - at));
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>A safetensors mutant: bytes, or one JSON value of the header replaced by a hostile token.</summary>
    public byte[] MutateSafetensors(byte[] seed)
    {
        if (random.Next(3) != 0 || seed.Length < 16)
        {
            return MutateBytes(seed, 8 + (int)Math.Min(BitConverter.ToUInt64(seed, 0), 512));
        }

        int headerLength = (int)BitConverter.ToUInt64(seed, 0);
        string header = Encoding.UTF8.GetString(seed, 8, headerLength);
        int at = random.Next(header.Length);
        int start = header.IndexOfAny([':', ','], at);
        if (start < 0)
        {
            return MutateBytes(seed, 64);
        }

        int end = header.IndexOfAny([',', '}'], start + 1);
        if (end < 0)
        {
            end = start + 1;
        }

        string mutated = header[..(start + 1)] + JsonTokens[random.Next(JsonTokens.Length)] + header[end..];
        byte[] json = Encoding.UTF8.GetBytes(mutated);
        bool fixLength = random.Next(4) != 0;
        var output = new List<byte>(BitConverter.GetBytes((ulong)(fixLength ? json.Length : headerLength)));
        output.AddRange(json);
        output.AddRange(seed.AsSpan(8 + headerLength).ToArray());
        return [.. output];
    }

    /// <summary>A torch.save mutant: raw bytes (a third), or a mutated data.pkl re-zipped with correct CRCs.</summary>
    public byte[] MutateTorch(byte[] seed)
    {
        if (random.Next(3) == 0)
        {
            return MutateBytes(seed, seed.Length);
        }

        var entries = new List<(string Name, byte[] Data)>();
        using (var archive = new ZipArchive(new MemoryStream(seed), ZipArchiveMode.Read))
        {
            foreach (ZipArchiveEntry e in archive.Entries)
            {
                using Stream s = e.Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                entries.Add((e.FullName, m.ToArray()));
            }
        }

        int pkl = entries.FindIndex(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal));
        byte[] pickle = entries[pkl].Data;
        if (random.Next(4) == 0)
        {
            // Swap one GLOBAL's module and name for another (hostile or merely out of place).
            string text = Encoding.Latin1.GetString(pickle);
            int g = text.IndexOf('c', random.Next(text.Length));
            int nl1 = g < 0 ? -1 : text.IndexOf('\n', g);
            int nl2 = nl1 < 0 ? -1 : text.IndexOf('\n', nl1 + 1);
            if (nl2 > 0 && nl2 - g < 80)
            {
                pickle = Encoding.Latin1.GetBytes(text[..(g + 1)] + Globals[random.Next(Globals.Length)] + text[(nl2 + 1)..]);
            }
        }
        else
        {
            pickle = MutateBytes(pickle, pickle.Length);
        }

        entries[pkl] = (entries[pkl].Name, pickle);
        if (random.Next(10) == 0 && entries.Count > 3)
        {
            entries.RemoveAt(random.Next(entries.Count)); // a missing record
        }

        using var output = new MemoryStream();
        var zip = new ZipWriter(output);
        foreach ((string name, byte[] data) in entries)
        {
            zip.Add(name, data.Length, (s, crc) => { crc.Append(data); s.Write(data); });
        }

        zip.Finish();
        return output.ToArray();
    }

    /// <summary>Disposes every tensor in a loaded object; returns the bytes of their distinct storages.</summary>
    public static long DisposeAll(object? result)
    {
        var storages = new Dictionary<IntPtr, long>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object?>();
        pending.Push(result);
        while (pending.Count > 0)
        {
            object? o = pending.Pop();
            if (o is null || o is string || !seen.Add(o))
            {
                continue;
            }

            switch (o)
            {
                case torch.Tensor t:
                    storages[Native.Storage(t)] = t.numel() == 0 ? 0 : StorageBytes(t);
                    t.Dispose();
                    break;
                case IDictionary d:
                    foreach (DictionaryEntry e in d)
                    {
                        pending.Push(e.Key);
                        pending.Push(e.Value);
                    }

                    break;
                case IEnumerable items and not byte[] and not long[]:
                    foreach (object? item in items)
                    {
                        pending.Push(item is KeyValuePair<string, object?> kv ? kv.Value : item is KeyValuePair<object, object?> ko ? ko.Value : item is KeyValuePair<string, torch.Tensor> kt ? kt.Value : item);
                    }

                    break;
            }
        }

        return storages.Values.Sum();
    }

    private static long StorageBytes(torch.Tensor t) => StorageNative.Bytes(t.Handle);
}

/// <summary>The storage size straight from LibTorch.</summary>
internal static partial class StorageNative
{
    [System.Runtime.InteropServices.LibraryImport("LibTorchSharp", EntryPoint = "THSStorage_nbytes")]
    internal static partial long Bytes(IntPtr tensor);
}
