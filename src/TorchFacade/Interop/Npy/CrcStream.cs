namespace TorchFacade;

/// <summary>A read-only stream that passes another stream's bytes through and keeps their CRC-32 and count.</summary>
/// <param name="inner">The stream read from (not disposed).</param>
internal sealed class CrcStream(Stream inner) : Stream
{
    private readonly System.IO.Hashing.Crc32 crc = new();

    /// <summary>The CRC-32 of every byte read so far.</summary>
    public uint Crc => crc.GetCurrentHashAsUInt32();

    /// <summary>How many bytes were read so far.</summary>
    public long BytesRead { get; private set; }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        crc.Append(buffer[..n]);
        BytesRead += n;
        return n;
    }

    /// <summary>Reads and checksums what is left, at most <paramref name="limit"/> bytes; returns how many there were.</summary>
    /// <param name="limit">The most bytes to read.</param>
    /// <returns>The bytes read.</returns>
    public long Drain(long limit)
    {
        Span<byte> buffer = stackalloc byte[4096];
        long total = 0;
        while (total < limit)
        {
            int n = Read(buffer[..(int)Math.Min(buffer.Length, limit - total)]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
