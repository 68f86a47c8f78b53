using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace TorchFacade;

/// <summary>
/// Writes a zip archive the way PyTorch's checkpoint writer does: every entry stored (uncompressed), its local header
/// padded with an <c>FB</c> extra field so the data starts on a 64-byte boundary (what lets <c>torch.load(mmap=True)</c>
/// and <see cref="Torch.Load"/> alias it in place), sizes and CRC-32 in a data descriptor after the data, zip64 records
/// where sizes or offsets pass 4 GiB, and a zip64 end record always.
/// </summary>
internal sealed class ZipWriter(Stream stream)
{
    private const int Alignment = 64;
    private readonly List<(string Name, uint Crc, long Size, long Offset)> entries = [];

    /// <summary>Writes one entry; <paramref name="write"/> writes its data and feeds the CRC.</summary>
    internal void Add(string name, long size, Action<Stream, Crc32> write)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        long offset = stream.Position;
        long dataStart = offset + 30 + nameBytes.Length + 4;
        int pad = (int)((Alignment - (dataStart % Alignment)) % Alignment);
        Span<byte> local = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(local[4..], 45);
        BinaryPrimitives.WriteUInt16LittleEndian(local[6..], 0x0808); // data descriptor follows; UTF-8 names
        BinaryPrimitives.WriteUInt16LittleEndian(local[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(local[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(local[14..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(local[18..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(local[22..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(local[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(local[28..], (ushort)(4 + pad));
        stream.Write(local);
        stream.Write(nameBytes);
        Span<byte> extra = stackalloc byte[4 + Alignment];
        extra[0] = (byte)'F';
        extra[1] = (byte)'B';
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)pad);
        extra.Slice(4, pad).Fill((byte)'Z');
        stream.Write(extra[..(4 + pad)]);
        var crc = new Crc32();
        long before = stream.Position;
        write(stream, crc);
        long written = stream.Position - before;
        if (written != size)
        {
            throw new InvalidOperationException($"Internal error: the zip entry {name} was announced as {size} bytes but {written} were written.");
        }

        uint value = crc.GetCurrentHashAsUInt32();
        bool large = size >= 0xFFFFFFFF;
        Span<byte> descriptor = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor, 0x08074b50);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[4..], value);
        if (large)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(descriptor[8..], (ulong)size);
            BinaryPrimitives.WriteUInt64LittleEndian(descriptor[16..], (ulong)size);
            stream.Write(descriptor);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[8..], (uint)size);
            BinaryPrimitives.WriteUInt32LittleEndian(descriptor[12..], (uint)size);
            stream.Write(descriptor[..16]);
        }

        entries.Add((name, value, size, offset));
    }

    /// <summary>Writes the central directory and the end records.</summary>
    internal void Finish()
    {
        long directoryStart = stream.Position;
        Span<byte> c = stackalloc byte[46];
        Span<byte> z = stackalloc byte[28];
        foreach ((string name, uint crc, long size, long offset) in entries)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            bool bigSize = size >= 0xFFFFFFFF;
            bool bigOffset = offset >= 0xFFFFFFFF;
            int extraLength = (bigSize || bigOffset) ? 4 + (bigSize ? 16 : 0) + (bigOffset ? 8 : 0) : 0;
            BinaryPrimitives.WriteUInt32LittleEndian(c, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(c[4..], 45);
            BinaryPrimitives.WriteUInt16LittleEndian(c[6..], 45);
            BinaryPrimitives.WriteUInt16LittleEndian(c[8..], 0x0808);
            BinaryPrimitives.WriteUInt16LittleEndian(c[10..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(c[12..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(c[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(c[20..], bigSize ? 0xFFFFFFFF : (uint)size);
            BinaryPrimitives.WriteUInt32LittleEndian(c[24..], bigSize ? 0xFFFFFFFF : (uint)size);
            BinaryPrimitives.WriteUInt16LittleEndian(c[28..], (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(c[30..], (ushort)extraLength);
            BinaryPrimitives.WriteUInt16LittleEndian(c[32..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(c[34..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(c[36..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(c[38..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(c[42..], bigOffset ? 0xFFFFFFFF : (uint)offset);
            stream.Write(c);
            stream.Write(nameBytes);
            if (extraLength > 0)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(z, 1);
                BinaryPrimitives.WriteUInt16LittleEndian(z[2..], (ushort)(extraLength - 4));
                int q = 4;
                if (bigSize)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(z[q..], (ulong)size);
                    BinaryPrimitives.WriteUInt64LittleEndian(z[(q + 8)..], (ulong)size);
                    q += 16;
                }

                if (bigOffset)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(z[q..], (ulong)offset);
                }

                stream.Write(z[..extraLength]);
            }
        }

        long directorySize = stream.Position - directoryStart;
        long end64 = stream.Position;
        Span<byte> e64 = stackalloc byte[56];
        BinaryPrimitives.WriteUInt32LittleEndian(e64, 0x06064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[4..], 44);
        BinaryPrimitives.WriteUInt16LittleEndian(e64[12..], 45);
        BinaryPrimitives.WriteUInt16LittleEndian(e64[14..], 45);
        BinaryPrimitives.WriteUInt32LittleEndian(e64[16..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(e64[20..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[24..], (ulong)entries.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[32..], (ulong)entries.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[40..], (ulong)directorySize);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[48..], (ulong)directoryStart);
        stream.Write(e64);
        Span<byte> locator = stackalloc byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
        BinaryPrimitives.WriteUInt32LittleEndian(locator[4..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(locator[8..], (ulong)end64);
        BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1);
        stream.Write(locator);
        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)Math.Min(entries.Count, 0xFFFF));
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)Math.Min(entries.Count, 0xFFFF));
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)Math.Min(directorySize, 0xFFFFFFFF));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)Math.Min(directoryStart, 0xFFFFFFFF));
        stream.Write(end);
    }
}
