using System.Buffers.Binary;
using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade;

/// <summary>Reads one <c>.npy</c> array from a stream into a new tensor (the header is checked before anything is allocated).</summary>
internal static class NpyReader
{
    private const int Chunk = 1 << 30;

    /// <summary>Reads a whole array: header, then exactly the bytes it promises.</summary>
    /// <param name="stream">The stream, positioned at the magic bytes.</param>
    /// <param name="name">The file name, for messages.</param>
    /// <param name="available">How many bytes the stream holds from its position on (checked against the header before allocating).</param>
    /// <exception cref="NpyFormatException">The data is malformed.</exception>
    internal static torch.Tensor Read(Stream stream, string name, long available)
    {
        NpyHeader header = NpyHeader.Read(stream, name, available);
        return ReadBody(stream, name, header);
    }

    /// <summary>Allocates the tensor the header describes and fills it from the stream.</summary>
    internal static unsafe torch.Tensor ReadBody(Stream stream, string name, NpyHeader header)
    {
        torch.Tensor storage = torch.empty(StorageShape(header), header.DType.Type);
        try
        {
            long bytes = header.DataBytes;
            byte* data = bytes == 0 ? null : (byte*)TensorInterop.DataPointer(storage);
            for (long done = 0; done < bytes;)
            {
                int n = (int)Math.Min(Chunk, bytes - done);
                NpyHeader.ReadExactly(stream, new Span<byte>(data + done, n), name, "the array data");
                FixUp(new Span<byte>(data + done, n), header.DType);
                done += n;
            }

            return ToLogicalLayout(storage, header);
        }
        catch
        {
            storage.Dispose();
            throw;
        }
    }

    /// <summary>The shape of the stored (C-contiguous) block: reversed for Fortran order.</summary>
    internal static long[] StorageShape(NpyHeader header)
    {
        long[] shape = (long[])header.Shape.Clone();
        if (header.FortranOrder)
        {
            Array.Reverse(shape);
        }

        return shape;
    }

    /// <summary>
    /// For Fortran order, returns a permuted view with the right (column-major) strides over the stored block and
    /// disposes the block's own handle (the view keeps the storage alive); otherwise returns the block itself.
    /// </summary>
    internal static torch.Tensor ToLogicalLayout(torch.Tensor storage, NpyHeader header)
    {
        if (!header.FortranOrder || header.Shape.Length < 2)
        {
            return storage;
        }

        long[] reverse = Enumerable.Range(0, header.Shape.Length).Reverse().Select(i => (long)i).ToArray();
        torch.Tensor view = storage.permute(reverse);
        storage.Dispose();
        return view;
    }

    /// <summary>Byte-swaps big-endian data and normalizes booleans to 0/1 in place.</summary>
    private static void FixUp(Span<byte> chunk, NpyDType dtype)
    {
        if (dtype.Type == torch.ScalarType.Bool)
        {
            foreach (ref byte b in chunk)
            {
                b = b != 0 ? (byte)1 : (byte)0;
            }

            return;
        }

        if (!dtype.BigEndian)
        {
            return;
        }

        // Complex numbers are two floats: swap each half.
        int unit = dtype.Type is torch.ScalarType.ComplexFloat32 or torch.ScalarType.ComplexFloat64 ? dtype.ItemSize / 2 : dtype.ItemSize;
        switch (unit)
        {
            case 2:
                Span<ushort> u16 = MemoryMarshal.Cast<byte, ushort>(chunk);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                Span<uint> u32 = MemoryMarshal.Cast<byte, uint>(chunk);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                Span<ulong> u64 = MemoryMarshal.Cast<byte, ulong>(chunk);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}
