using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace TorchFacade.Fuzz;

/// <summary>
/// The mutations, one seeded <see cref="Random"/> per mutant (so mutant <c>i</c> of a campaign is the same in every
/// process and can be remade where it crashed). Shared by all four formats: bit flips, interesting bytes, random
/// bytes, truncation, insertion, deletion, and lying sizes (2-, 4- or 8-byte fields overwritten with counts no file
/// can back). Per format: .npy header tokens; zip archives (.npz, torch.save) with CRC flips, lying central-directory
/// sizes, missing and duplicated records, re-zipped members (stored, or deflated as a zip bomb: a real one at deflate's
/// ratio, and one whose directory lies about the inflated size); safetensors JSON values; pickle opcodes and hostile
/// GLOBALs inside <c>data.pkl</c>, re-zipped with correct CRCs so the unpickler itself sees them, and storage bytes
/// changed under an unchanged CRC.
/// </summary>
internal sealed class Mutator(Random random)
{
    private static readonly byte[] Interesting =
    [
        .. "(),:'\"{}[]-0123456789LTFN \n<>|tRqhJKXcQbeu."u8, 0x00, 0xFF, 0x7F, 0x80, 0x81, 0x85, 0x86, 0x8a, 0x93, 0x94, 0x95,
    ];

    private static readonly ulong[] Lies =
    [
        0, 1, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x100000000, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, ulong.MaxValue,
        1UL << 40, 100_000_001,
    ];

    private static readonly string[] NpyTokens =
    [
        "(-1,)", "(4294967296, 4294967296)", "(99999999999999999999,)", "()", "(0,)", "True", "None", "'|O'", "'<u8'", "'>f8'", "'>c16'",
        "[('a', '<f4')]", "'<f4'", "((((((((((((((((((((", "1L", "(3, 'x')", "{}", "'fortran_order'", "'shape'", "(1000000, 1000000)",
    ];

    private static readonly string[] JsonTokens =
    [
        "\"F32\"", "\"U64\"", "\"F4\"", "\"XX\"", "[0,18446744073709551615]", "[-1,4]", "[4,0]", "[0,99999999999]", "[9223372036854775807,2]",
        "[]", "[1,2,3]", "null", "{}", "\"__metadata__\"", "{\"a\":1}", "1.5", "[[[[[[[[[[1]]]]]]]]]]", "\"\\ud800\"", "true", "[4294967296,4294967296]",
    ];

    private static readonly string[] Globals =
    [
        "os\nsystem\n", "posix\nsystem\n", "builtins\neval\n", "builtins\nexec\n", "builtins\ngetattr\n", "subprocess\nPopen\n", "torch\nSize\n",
        "torch\nfloat16\n", "torch._utils\n_rebuild_qtensor\n", "collections\nOrderedDict\n", "torch\nFloatStorage\n", "torch.storage\nUntypedStorage\n",
        "torch._utils\n_rebuild_tensor_v3\n", "builtins\nset\n", "__builtin__\nset\n", "torch\nLongStorage\n", "torch.nested._internal.nested_tensor\nNestedTensor\n",
        "numpy.core.multiarray\n_reconstruct\n", "torch\nload\n", "__main__\nEvil\n",
    ];

    private static readonly Dictionary<byte[], List<(string Name, byte[] Data)>> Archives = new(ReferenceEqualityComparer.Instance);

    /// <summary>A byte-level mutant: one to three operations, three in four within the first <paramref name="hot"/> bytes.</summary>
    public byte[] MutateBytes(byte[] seed, int hot)
    {
        var data = new List<byte>(seed);
        int operations = 1 + random.Next(3);
        for (int k = 0; k < operations && data.Count > 0; k++)
        {
            int span = random.Next(4) == 0 ? data.Count : Math.Min(data.Count, Math.Max(1, hot));
            int at = random.Next(span);
            switch (random.Next(7))
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
                    data.RemoveRange(keep, data.Count - keep); // truncation
                    break;
                case 4:
                    data.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => Interesting[random.Next(Interesting.Length)]));
                    break;
                case 5:
                    data.RemoveRange(at, Math.Min(1 + random.Next(8), data.Count - at));
                    break;
                default:
                    byte[] lied = [.. data];
                    LieAboutSize(lied, random.Next(lied.Length));
                    data = [.. lied];
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>A .npy mutant: bytes (mostly in the 128-byte preamble and header) or a header value replaced by a hostile token.</summary>
    public byte[] MutateNpy(byte[] seed)
    {
        if (random.Next(3) != 0)
        {
            return MutateBytes(seed, 128);
        }

        var data = new List<byte>(seed);
        string text = Encoding.Latin1.GetString([.. data], 0, Math.Min(data.Count, 256));
        int start = text.IndexOf(random.Next(3) switch { 0 => "'shape': ", 1 => "'descr': ", _ => "'fortran_order': " }, StringComparison.Ordinal);
        if (start < 0)
        {
            return MutateBytes(seed, 128);
        }

        start = text.IndexOf(':', start) + 2;
        int end = text.IndexOf(random.Next(2) == 0 ? ',' : '}', start);
        if (end < 0)
        {
            return MutateBytes(seed, 128);
        }

        data.RemoveRange(start, end - start);
        data.InsertRange(start, Encoding.Latin1.GetBytes(NpyTokens[random.Next(NpyTokens.Length)]));
        return random.Next(4) == 0 ? MutateBytes([.. data], 128) : [.. data];
    }

    /// <summary>A .npz mutant: zip-level mutations, or one member's .npy mutated and the archive rebuilt (stored or deflated).</summary>
    public byte[] MutateNpz(byte[] seed)
    {
        if (random.Next(3) != 0)
        {
            byte[]? zipLevel = MutateZip(seed);
            if (zipLevel is not null)
            {
                return zipLevel;
            }
        }

        var entries = Entries(seed);
        int which = random.Next(entries.Count);
        entries[which] = (entries[which].Name, MutateNpy(entries[which].Data));
        return WriteArchive(entries, deflate: random.Next(2) == 0);
    }

    /// <summary>A safetensors mutant: bytes (mostly in the length and header), a lying header length, or one JSON value replaced by a hostile token.</summary>
    public byte[] MutateSafetensors(byte[] seed)
    {
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(seed);
        switch (random.Next(6))
        {
            case 0:
            case 1:
                return MutateBytes(seed, 8 + (int)Math.Min(headerLength, 512));
            case 2:
                byte[] lying = [.. seed];
                BinaryPrimitives.WriteUInt64LittleEndian(lying, random.Next(2) == 0 ? Lies[random.Next(Lies.Length)] : headerLength + (ulong)random.Next(-9, 10));
                return lying;
        }

        string header = Encoding.UTF8.GetString(seed, 8, (int)headerLength);
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
        var output = new List<byte>(BitConverter.GetBytes(fixLength ? (ulong)json.Length : headerLength));
        output.AddRange(json);
        output.AddRange(seed.AsSpan(8 + (int)headerLength).ToArray());
        return [.. output];
    }

    /// <summary>
    /// A torch.save mutant: raw bytes, zip-level mutations (CRC flips, lying sizes, bombs, missing records), a storage
    /// byte changed under its unchanged CRC, or — most often — <c>data.pkl</c> mutated (opcodes, sizes, memo ids, hostile
    /// GLOBALs) and the archive rebuilt the way PyTorch writes it (stored, 64-byte aligned, correct CRCs).
    /// </summary>
    public byte[] MutateTorch(byte[] seed)
    {
        switch (random.Next(8))
        {
            case 0:
                return MutateBytes(seed, seed.Length);
            case 1:
            case 2:
                byte[]? zipLevel = MutateZip(seed);
                if (zipLevel is not null)
                {
                    return zipLevel;
                }

                break;
            case 3:
                return FlipStorageByte(seed);
        }

        var entries = Entries(seed);
        int pkl = entries.FindIndex(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal));
        byte[] pickle = entries[pkl].Data;
        if (random.Next(4) == 0)
        {
            // One GLOBAL's module and name swapped for another (hostile or merely out of place).
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

        return WriteStored(entries);
    }

    /// <summary>Overwrites a 2-, 4- or 8-byte little-endian field at <paramref name="at"/> with a count no file can back.</summary>
    private void LieAboutSize(byte[] data, int at)
    {
        int width = random.Next(3) switch { 0 => 2, 1 => 4, _ => 8 };
        if (at + width > data.Length)
        {
            return;
        }

        ulong lie = Lies[random.Next(Lies.Length)];
        Span<byte> field = data.AsSpan(at, width);
        switch (width)
        {
            case 2:
                BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)lie);
                break;
            case 4:
                BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)lie);
                break;
            default:
                BinaryPrimitives.WriteUInt64LittleEndian(field, lie);
                break;
        }
    }

    /// <summary>A zip-level mutant of an archive, or null when the mutation found nothing to change.</summary>
    private byte[]? MutateZip(byte[] seed)
    {
        List<int> central = Find(seed, 0x02014b50);
        List<int> local = Find(seed, 0x04034b50);
        byte[] data = [.. seed];
        switch (random.Next(7))
        {
            case 0 when central.Count > 0:
                // A CRC flip in the central directory (or, below, in a local header).
                data[central[random.Next(central.Count)] + 16 + random.Next(4)] ^= (byte)(1 << random.Next(8));
                return data;
            case 1 when local.Count > 0:
                data[local[random.Next(local.Count)] + 14 + random.Next(4)] ^= (byte)(1 << random.Next(8));
                return data;
            case 2 when central.Count > 0:
                // A lying compressed or uncompressed size, name/extra length, or local-header offset.
                int c = central[random.Next(central.Count)];
                LieAboutSize(data, c + random.Next(6) switch { 0 => 20, 1 => 24, 2 => 28, 3 => 30, 4 => 42, _ => 20 + (4 * random.Next(2)) });
                return data;
            case 3:
                // A lie in the end-of-central-directory records (counts, sizes, offsets; zip64 included).
                int tail = Math.Min(data.Length, 120);
                LieAboutSize(data, data.Length - tail + random.Next(tail));
                return data;
            case 4:
                return Bomb(seed, lie: false);
            case 5:
                return Bomb(seed, lie: true);
            default:
                var entries = Entries(seed);
                if (entries.Count > 1 && random.Next(2) == 0)
                {
                    entries.RemoveAt(random.Next(entries.Count));
                }
                else
                {
                    entries.Insert(random.Next(entries.Count + 1), entries[random.Next(entries.Count)]); // a duplicated record
                }

                return entries.Any(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal)) ? WriteStored(entries) : WriteArchive(entries, deflate: false);
        }
    }

    /// <summary>
    /// A zip bomb: the first member padded with up to 4 MiB of zeros and deflated (a real bomb, at deflate's ~1000:1
    /// ratio: a reader may inflate it, but only that far), or — <paramref name="lie"/> — with the directory claiming an
    /// inflated size far beyond what the deflated bytes can produce.
    /// </summary>
    private byte[] Bomb(byte[] seed, bool lie)
    {
        var entries = Entries(seed);
        int which = random.Next(entries.Count);
        byte[] padded = new byte[entries[which].Data.Length + (1 << (12 + random.Next(11)))];
        entries[which].Data.CopyTo(padded, 0);
        entries[which] = (entries[which].Name, padded);
        byte[] archive = WriteArchive(entries, deflate: true);
        if (lie)
        {
            foreach (int c in Find(archive, 0x02014b50))
            {
                if (random.Next(2) == 0)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(archive.AsSpan(c + 24), random.Next(2) == 0 ? 0xFFFFFFF0u : (uint)padded.Length * 64);
                }
            }
        }

        return archive;
    }

    /// <summary>One byte of a storage record changed, its CRC left as it was: a copying load must refuse it, a mapped one may alias it.</summary>
    private byte[] FlipStorageByte(byte[] seed)
    {
        byte[] data = [.. seed];
        List<int> local = Find(seed, 0x04034b50).Where(o => o + 30 < seed.Length && Encoding.ASCII.GetString(seed, o + 30, Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(seed.AsSpan(o + 26)), seed.Length - o - 30)).Contains("/data/", StringComparison.Ordinal)).ToList();
        if (local.Count == 0)
        {
            return MutateBytes(seed, seed.Length);
        }

        int header = local[random.Next(local.Count)];
        int start = header + 30 + BinaryPrimitives.ReadUInt16LittleEndian(seed.AsSpan(header + 26)) + BinaryPrimitives.ReadUInt16LittleEndian(seed.AsSpan(header + 28));
        int next = Find(seed, 0x04034b50).Concat(Find(seed, 0x02014b50)).Concat(Find(seed, 0x08074b50)).Where(o => o > start).DefaultIfEmpty(seed.Length).Min();
        if (next - start <= 16)
        {
            return MutateBytes(seed, seed.Length);
        }

        data[start + random.Next(next - start - 16)] ^= (byte)(1 << random.Next(8));
        return data;
    }

    /// <summary>Every offset where the 4-byte little-endian signature occurs.</summary>
    private static List<int> Find(byte[] data, uint signature)
    {
        var found = new List<int>();
        Span<byte> pattern = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(pattern, signature);
        for (int at = data.AsSpan().IndexOf(pattern); at >= 0;)
        {
            found.Add(at);
            int next = data.AsSpan(at + 1).IndexOf(pattern);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return found;
    }

    /// <summary>A fresh copy of an archive's members (each seed is parsed once).</summary>
    private static List<(string Name, byte[] Data)> Entries(byte[] seed)
    {
        lock (Archives)
        {
            if (!Archives.TryGetValue(seed, out var entries))
            {
                entries = [];
                using var archive = new ZipArchive(new MemoryStream(seed), ZipArchiveMode.Read);
                foreach (ZipArchiveEntry e in archive.Entries)
                {
                    using Stream s = e.Open();
                    using var m = new MemoryStream();
                    s.CopyTo(m);
                    entries.Add((e.FullName, m.ToArray()));
                }

                Archives[seed] = entries;
            }

            return [.. entries];
        }
    }

    /// <summary>The members as PyTorch's writer lays them out: stored, data on 64-byte boundaries, correct CRCs.</summary>
    private static byte[] WriteStored(List<(string Name, byte[] Data)> entries)
    {
        using var output = new MemoryStream();
        var zip = new ZipWriter(output);
        foreach ((string name, byte[] data) in entries)
        {
            zip.Add(name, data.Length, (s, crc) => { crc.Append(data); s.Write(data); });
        }

        zip.Finish();
        return output.ToArray();
    }

    /// <summary>The members as a general zip writer lays them out (NumPy's <c>savez</c>, or a re-zipped checkpoint), stored or deflated.</summary>
    private static byte[] WriteArchive(List<(string Name, byte[] Data)> entries, bool deflate)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] data) in entries)
            {
                ZipArchiveEntry entry = archive.CreateEntry(name, deflate ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using Stream s = entry.Open();
                s.Write(data);
            }
        }

        return output.ToArray();
    }
}
