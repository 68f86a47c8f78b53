using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Moves tensor bytes between files and LibTorch memory in large unbuffered reads and writes. When a write computes
/// the zip format's CRC-32 on the way, the data moves in pieces of <see cref="HashedChunk"/> bytes and each piece is
/// hashed on a second thread while it is written, so on a machine with a free core the hash costs no time beside the
/// write, and each piece is still in the CPU's cache when it is hashed.
/// </summary>
internal static class CheckpointIO
{
    private const int Chunk = 1 << 26;

    /// <summary>The piece size for hashed transfers: big enough that handing a piece to the other thread is free, small enough to stay in cache.</summary>
    private const int HashedChunk = 1 << 22;

    /// <summary>
    /// A new CPU tensor of the given shape and dtype filled with <paramref name="bytes"/> bytes read at
    /// <paramref name="offset"/> (the caller has checked that they lie inside the file).
    /// </summary>
    internal static unsafe torch.Tensor ReadTensor(SafeFileHandle handle, long offset, long bytes, ReadOnlySpan<long> shape, torch.ScalarType dtype, string path)
    {
        (torch.Tensor tensor, IntPtr data) = PinnedMemory.AllocateOwned(bytes, shape, dtype);
        try
        {
            Read(handle, offset, (byte*)data, bytes, path);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Reads exactly <paramref name="bytes"/> bytes at <paramref name="offset"/> into <paramref name="target"/>.</summary>
    internal static unsafe void Read(SafeFileHandle handle, long offset, byte* target, long bytes, string path)
    {
        for (long done = 0; done < bytes;)
        {
            int n = (int)Math.Min(Chunk, bytes - done);
            var span = new Span<byte>(target + done, n);
            int got = RandomAccess.Read(handle, span, offset + done);
            if (got <= 0)
            {
                throw Truncated(path, offset + done, offset + bytes);
            }

            done += got;
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="bytes"/> bytes at <paramref name="offset"/> into <paramref name="target"/> and
    /// returns their CRC-32. The bytes move in pieces of <see cref="HashedChunk"/>; each piece is hashed on a second
    /// thread while the next is read, so the hash costs (almost) nothing beside the read where a core is free, and
    /// each piece is hashed while it is still in the CPU's cache.
    /// </summary>
    internal static unsafe uint ReadHashed(SafeFileHandle handle, long offset, byte* target, long bytes, string path)
    {
        var crc = new Crc32();
        if (bytes <= HashedChunk)
        {
            Read(handle, offset, target, bytes, path);
            crc.Append(new ReadOnlySpan<byte>(target, (int)bytes));
            return crc.GetCurrentHashAsUInt32();
        }

        Task? hashing = null;
        try
        {
            for (long done = 0; done < bytes; done += HashedChunk)
            {
                int n = (int)Math.Min(HashedChunk, bytes - done);
                Read(handle, offset + done, target + done, n, path);
                hashing?.Wait();
                IntPtr piece = (IntPtr)(target + done);
                hashing = Task.Run(() => crc.Append(new ReadOnlySpan<byte>((void*)piece, n)));
            }
        }
        finally
        {
            WaitQuietly(hashing);
        }

        hashing?.Wait();
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>Writes <paramref name="bytes"/> bytes from <paramref name="source"/> to the stream (and the CRC, when given).</summary>
    internal static unsafe void Write(Stream stream, byte* source, long bytes, Crc32? crc = null)
    {
        if (crc is not null && bytes > HashedChunk)
        {
            WriteHashed(stream, source, bytes, crc);
            return;
        }

        for (long done = 0; done < bytes;)
        {
            int n = (int)Math.Min(Chunk, bytes - done);
            var span = new ReadOnlySpan<byte>(source + done, n);
            crc?.Append(span);
            stream.Write(span);
            done += n;
        }
    }

    /// <summary>The shape as PyTorch prints it: <c>torch.Size([2, 3])</c>.</summary>
    internal static string SizeString(ReadOnlySpan<long> shape) => $"torch.Size([{string.Join(", ", shape.ToArray())}])";

    private static unsafe void WriteHashed(Stream stream, byte* source, long bytes, Crc32 crc)
    {
        Task? hashing = null;
        try
        {
            for (long done = 0; done < bytes; done += HashedChunk)
            {
                int n = (int)Math.Min(HashedChunk, bytes - done);
                hashing?.Wait();
                IntPtr piece = (IntPtr)(source + done);
                hashing = Task.Run(() => crc.Append(new ReadOnlySpan<byte>((void*)piece, n)));
                stream.Write(new ReadOnlySpan<byte>(source + done, n));
            }
        }
        finally
        {
            WaitQuietly(hashing);
        }

        hashing?.Wait();
    }

    private static void WaitQuietly(Task? task)
    {
        try
        {
            task?.Wait();
        }
        catch (AggregateException)
        {
            // Rethrown by the caller's own wait when nothing else failed first.
        }
    }

    private static CheckpointFormatException Truncated(string path, long at, long end) =>
        new(path, $"the file ended after {at} bytes, in data that should reach byte {end}; the file is truncated.");
}
