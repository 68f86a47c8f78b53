using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace TorchFacade;

/// <summary>
/// Reads the zip container of a <c>torch.save</c> checkpoint: the end-of-central-directory record (and its zip64
/// form), the central directory and each entry's local header, every size and offset checked against the file's
/// length before anything is allocated. Entries are stored (PyTorch's writer never compresses, and pads each local
/// header so the data starts on a 64-byte boundary) or deflated (a re-zipped checkpoint); a deflated entry's size is
/// believed only up to the format's maximum ratio (1032:1), so a zip bomb is refused before it is inflated.
/// </summary>
internal sealed class ZipReader
{
    private const uint LocalSignature = 0x04034b50;
    private const uint CentralSignature = 0x02014b50;
    private const uint EndSignature = 0x06054b50;
    private const uint End64Signature = 0x06064b50;
    private const uint End64LocatorSignature = 0x07064b50;
    private const long MaxDeflateRatio = 1032;

    private readonly SafeFileHandle handle;
    private readonly string path;
    private readonly Dictionary<string, Entry> byName = new(StringComparer.Ordinal);

    private ZipReader(SafeFileHandle handle, long length, string path)
    {
        this.handle = handle;
        this.path = path;
        Length = length;
    }

    /// <summary>The file's length.</summary>
    internal long Length { get; }

    /// <summary>The entries, in central-directory order.</summary>
    internal List<Entry> Entries { get; } = [];

    /// <summary>Parses the central directory of an open file.</summary>
    /// <exception cref="CheckpointFormatException">The zip structure is malformed.</exception>
    internal static ZipReader Open(SafeFileHandle handle, long length, string path)
    {
        var reader = new ZipReader(handle, length, path);
        reader.ReadDirectory();
        return reader;
    }

    /// <summary>The entry of that name, or null.</summary>
    internal Entry? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>
    /// Reads a whole (small) entry into memory, checking its CRC-32 — unless the directory records 0, which is what
    /// PyTorch writes for every record after <c>torch.serialization.set_crc32_options(False)</c>.
    /// </summary>
    internal byte[] ReadAll(Entry entry)
    {
        if (entry.Size > Array.MaxLength)
        {
            throw Error($"the entry {entry.Name} is {entry.Size} bytes, more than TorchFacade reads into one buffer.");
        }

        byte[] data = GC.AllocateUninitializedArray<byte>((int)entry.Size);
        if (entry.Method == 0)
        {
            unsafe
            {
                fixed (byte* p = data)
                {
                    CheckpointIO.Read(handle, entry.DataOffset, p, data.Length, path);
                }
            }
        }
        else
        {
            Inflate(entry, data);
        }

        CheckCrc(entry, Crc32.HashToUInt32(data));
        return data;
    }

    /// <summary>
    /// Refuses an entry whose bytes do not have the CRC-32 the zip directory records for it — unless it records 0,
    /// which is what PyTorch writes for every record after <c>torch.serialization.set_crc32_options(False)</c>.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The CRC-32 differs: the file is corrupt.</exception>
    internal void CheckCrc(Entry entry, uint crc)
    {
        if (entry.Crc != 0 && crc != entry.Crc)
        {
            throw Error($"the CRC-32 of the record {entry.Name} is {crc:x8} but the zip directory records {entry.Crc:x8}; the file is corrupt (a changed byte, a bad copy or a failing disk): copy or download it again, or re-save it where it was written.");
        }
    }

    /// <summary>The open file.</summary>
    internal SafeFileHandle Handle => handle;

    private void Inflate(Entry entry, byte[] target)
    {
        using var bounded = new FileWindow(handle, entry.DataOffset, entry.CompressedSize);
        using var inflater = new DeflateStream(bounded, CompressionMode.Decompress);
        int done = 0;
        try
        {
            while (done < target.Length)
            {
                int n = inflater.Read(target, done, target.Length - done);
                if (n == 0)
                {
                    break;
                }

                done += n;
            }

            if (done != target.Length || inflater.Read(new byte[1], 0, 1) != 0)
            {
                throw Error($"the entry {entry.Name} inflates to a size other than the {entry.Size} bytes its directory records; the file is corrupt.");
            }
        }
        catch (InvalidDataException ex)
        {
            throw Error($"the entry {entry.Name} is not valid deflate data ({ex.Message}); the file is corrupt.", ex);
        }
    }

    private void ReadDirectory()
    {
        if (Length < 22)
        {
            throw Error("the file is too short to be a zip archive (torch.save checkpoint).");
        }

        // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
        int tail = (int)Math.Min(Length, 22 + 65535);
        byte[] end = new byte[tail];
        ReadAt(end, Length - tail);
        int at = -1;
        for (int i = tail - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(end.AsSpan(i)) == EndSignature)
            {
                at = i;
                break;
            }
        }

        if (at < 0)
        {
            throw Error("no end-of-central-directory record: the file is not a zip archive or is truncated.");
        }

        long endOffset = Length - tail + at;
        ReadOnlySpan<byte> e = end.AsSpan(at);
        long count = BinaryPrimitives.ReadUInt16LittleEndian(e[10..]);
        long directorySize = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
        long directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(e[16..]);
        if (endOffset >= 20)
        {
            byte[] locator = new byte[20];
            ReadAt(locator, endOffset - 20);
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator) == End64LocatorSignature)
            {
                long end64 = (long)BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
                if (end64 < 0 || end64 > endOffset - 20 - 56)
                {
                    throw Error("the zip64 end record's offset lies outside the file; the file is corrupt.");
                }

                byte[] record = new byte[56];
                ReadAt(record, end64);
                if (BinaryPrimitives.ReadUInt32LittleEndian(record) != End64Signature)
                {
                    throw Error("the zip64 end record is missing where its locator points; the file is corrupt.");
                }

                count = CheckedLong(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32)), "entry count");
                directorySize = CheckedLong(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40)), "directory size");
                directoryOffset = CheckedLong(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48)), "directory offset");
                endOffset = end64;
            }
        }

        if (directoryOffset + directorySize > endOffset || directorySize < count * 46)
        {
            throw Error($"the central directory ({count} entries, {directorySize} bytes at {directoryOffset}) does not fit before the end record at {endOffset}; the file is truncated or corrupt.");
        }

        if (directorySize > int.MaxValue)
        {
            throw Error($"the central directory is {directorySize} bytes, more than TorchFacade reads.");
        }

        byte[] directory = GC.AllocateUninitializedArray<byte>((int)directorySize);
        ReadAt(directory, directoryOffset);
        int p = 0;
        for (long i = 0; i < count; i++)
        {
            if (p + 46 > directory.Length || BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(p)) != CentralSignature)
            {
                throw Error($"central directory entry {i} is malformed; the file is corrupt.");
            }

            ReadOnlySpan<byte> c = directory.AsSpan(p);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(c[8..]);
            ushort method = BinaryPrimitives.ReadUInt16LittleEndian(c[10..]);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(c[16..]);
            long compressedSize = BinaryPrimitives.ReadUInt32LittleEndian(c[20..]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(c[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(c[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(c[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(c[32..]);
            long localOffset = BinaryPrimitives.ReadUInt32LittleEndian(c[42..]);
            if (p + 46 + nameLength + extraLength + commentLength > directory.Length)
            {
                throw Error($"central directory entry {i} runs past the directory; the file is corrupt.");
            }

            string name = Encoding.UTF8.GetString(c.Slice(46, nameLength));
            ReadOnlySpan<byte> extra = c.Slice(46 + nameLength, extraLength);
            ReadZip64(extra, ref size, ref compressedSize, ref localOffset);
            p += 46 + nameLength + extraLength + commentLength;
            if ((flags & 1) != 0)
            {
                throw Error($"the entry {name} is encrypted; checkpoints are never encrypted.");
            }

            if (method != 0 && method != 8)
            {
                throw Error($"the entry {name} uses zip compression method {method}; only stored (0) and deflated (8) entries can be read.");
            }

            if (method == 0 && compressedSize != size)
            {
                throw Error($"the stored entry {name} records {compressedSize} stored bytes but {size} bytes of data; the file is corrupt.");
            }

            if (method == 8 && size > (compressedSize * MaxDeflateRatio) + 1024)
            {
                throw Error($"the deflated entry {name} claims to inflate {compressedSize} bytes to {size}, beyond deflate's maximum ratio of {MaxDeflateRatio}:1; refusing a zip bomb.");
            }

            long dataOffset = LocalDataOffset(name, localOffset);
            if (dataOffset + compressedSize > directoryOffset)
            {
                throw Error($"the entry {name} ({compressedSize} bytes at {dataOffset}) runs past the data area into the central directory at {directoryOffset}; the file is truncated or corrupt.");
            }

            var entry = new Entry(name, method, crc, size, compressedSize, dataOffset);
            if (!byName.TryAdd(name, entry))
            {
                throw Error($"the archive holds two entries named {name}; the file is corrupt.");
            }

            Entries.Add(entry);
        }
    }

    private long LocalDataOffset(string name, long localOffset)
    {
        if (localOffset < 0 || localOffset > Length - 30)
        {
            throw Error($"the local header of {name} would lie at {localOffset}, outside the file; the file is corrupt.");
        }

        byte[] local = new byte[30];
        ReadAt(local, localOffset);
        if (BinaryPrimitives.ReadUInt32LittleEndian(local) != LocalSignature)
        {
            throw Error($"no local header at {localOffset} for the entry {name}; the file is corrupt.");
        }

        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(local.AsSpan(26));
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(local.AsSpan(28));
        return localOffset + 30 + nameLength + extraLength;
    }

    private void ReadZip64(ReadOnlySpan<byte> extra, ref long size, ref long compressedSize, ref long localOffset)
    {
        while (extra.Length >= 4)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (4 + length > extra.Length)
            {
                throw Error("a zip extra field runs past its entry; the file is corrupt.");
            }

            ReadOnlySpan<byte> body = extra.Slice(4, length);
            if (id == 1)
            {
                int q = 0;
                if (size == 0xFFFFFFFF && q + 8 <= body.Length)
                {
                    size = CheckedLong(BinaryPrimitives.ReadUInt64LittleEndian(body[q..]), "entry size");
                    q += 8;
                }

                if (compressedSize == 0xFFFFFFFF && q + 8 <= body.Length)
                {
                    compressedSize = CheckedLong(BinaryPrimitives.ReadUInt64LittleEndian(body[q..]), "entry size");
                    q += 8;
                }

                if (localOffset == 0xFFFFFFFF && q + 8 <= body.Length)
                {
                    localOffset = CheckedLong(BinaryPrimitives.ReadUInt64LittleEndian(body[q..]), "entry offset");
                }
            }

            extra = extra[(4 + length)..];
        }
    }

    private long CheckedLong(ulong value, string what) =>
        value > (ulong)Length ? throw Error($"the zip64 {what} {value} exceeds the file's length {Length}; the file is corrupt.") : (long)value;

    private void ReadAt(byte[] target, long offset)
    {
        unsafe
        {
            fixed (byte* p = target)
            {
                CheckpointIO.Read(handle, offset, p, target.Length, path);
            }
        }
    }

    private CheckpointFormatException Error(string problem, Exception? inner = null) =>
        new(path, "PytorchStreamReader failed reading zip archive: " + problem, "RuntimeError", inner);

    /// <summary>One zip entry: its name, method, CRC-32, size, stored size and where its data starts.</summary>
    internal sealed record Entry(string Name, int Method, uint Crc, long Size, long CompressedSize, long DataOffset);

    /// <summary>A read-only stream over <c>length</c> bytes of the file from <c>offset</c>.</summary>
    private sealed class FileWindow(SafeFileHandle file, long offset, long length) : Stream
    {
        private long position = offset;
        private long left = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = RandomAccess.Read(file, buffer.AsSpan(offset, (int)Math.Min(count, left)), position);
            position += n;
            left -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
