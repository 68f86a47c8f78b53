using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace TorchFacade;

/// <summary>Moves tensor bytes between files and LibTorch memory in large unbuffered reads and writes.</summary>
internal static class CheckpointIO
{
    private const int Chunk = 1 << 26;

    /// <summary>
    /// A new CPU tensor of the given shape and dtype filled with <paramref name="bytes"/> bytes read at
    /// <paramref name="offset"/> (the caller has checked that they lie inside the file); <paramref name="crc"/>, when
    /// given, is fed every byte read.
    /// </summary>
    internal static unsafe torch.Tensor ReadTensor(SafeFileHandle handle, long offset, long bytes, ReadOnlySpan<long> shape, torch.ScalarType dtype, string path, Crc32? crc = null)
    {
        (torch.Tensor tensor, IntPtr data) = PinnedMemory.AllocateOwned(bytes, shape, dtype);
        try
        {
            Read(handle, offset, (byte*)data, bytes, path, crc);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Reads exactly <paramref name="bytes"/> bytes at <paramref name="offset"/> into <paramref name="target"/>.</summary>
    internal static unsafe void Read(SafeFileHandle handle, long offset, byte* target, long bytes, string path, Crc32? crc = null)
    {
        for (long done = 0; done < bytes;)
        {
            int n = (int)Math.Min(Chunk, bytes - done);
            var span = new Span<byte>(target + done, n);
            int got = RandomAccess.Read(handle, span, offset + done);
            if (got <= 0)
            {
                throw new CheckpointFormatException(path, $"the file ended after {offset + done} bytes, in data that should reach byte {offset + bytes}; the file is truncated.");
            }

            crc?.Append(span[..got]);
            done += got;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> bytes from <paramref name="source"/> to the stream (and the CRC, when given).</summary>
    internal static unsafe void Write(Stream stream, byte* source, long bytes, Crc32? crc = null)
    {
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
}
