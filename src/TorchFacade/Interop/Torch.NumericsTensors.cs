using System.Buffers;
using TorchSharp;

namespace TorchFacade;

public static partial class Torch
{
    /// <summary>
    /// A torch tensor from a <see cref="System.Numerics.Tensors.Tensor{T}"/>. <b>Zero-copy</b> when the source is dense
    /// and row-major (its strides are the C-order strides of its lengths, as for tensors made by
    /// <c>Tensor.Create(array, lengths)</c>): the torch tensor aliases the source's memory, which stays pinned until the
    /// torch tensor and all its views are gone. <b>Copies</b> otherwise (sliced, transposed or broadcast sources, or
    /// complex128 data that is not 16-byte aligned, which LibTorch's kernels cannot use in place): the elements are
    /// gathered in C order into a new torch tensor.
    /// </summary>
    /// <typeparam name="T">The element type: bool, byte, sbyte, short, int, long, Half, BFloat16, float, double or Complex.</typeparam>
    /// <param name="source">The .NET tensor.</param>
    /// <returns>A CPU tensor with the same lengths and values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no torch dtype.</exception>
    public static unsafe torch.Tensor FromTensor<T>(System.Numerics.Tensors.Tensor<T> source)
        where T : unmanaged
    {
        TensorChecks.ThrowIfNull(source, nameof(FromTensor));
        torch.ScalarType dtype = InteropElementTypes.ScalarTypeOf<T>(nameof(FromTensor));
        NativeRuntime.EnsureAvailable();
        long[] shape = new long[source.Rank];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = source.Lengths[i];
        }

        if (source.FlattenedLength == 0)
        {
            return torch.empty(shape, dtype);
        }

        if (IsRowMajor(source.Lengths, source.Strides))
        {
            MemoryHandle pin = source.GetPinnedHandle();
            if ((nuint)pin.Pointer % (nuint)InteropElementTypes.AlignmentOf(dtype) == 0)
            {
                return PinnedMemory.Alias(pin.Pointer, shape, dtype, new MemoryHandleOwner(pin));
            }

            pin.Dispose(); // complex128 data that is only 8-byte aligned: LibTorch cannot alias it, so copy.
        }

        var dense = new T[source.FlattenedLength];
        int k = 0;
        foreach (T value in source)
        {
            dense[k++] = value;
        }

        return Tensor(dense, shape);
    }

    private static bool IsRowMajor(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides)
    {
        nint expected = 1;
        for (int i = lengths.Length - 1; i >= 0; i--)
        {
            if (lengths[i] != 1 && strides[i] != expected)
            {
                return false;
            }

            expected *= lengths[i];
        }

        return true;
    }
}
