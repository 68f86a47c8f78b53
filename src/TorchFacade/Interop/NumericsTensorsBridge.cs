using System.Buffers;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Bridge to .NET's own tensor types in System.Numerics.Tensors 10.0.0 (<see cref="System.Numerics.Tensors.Tensor{T}"/>,
/// <see cref="System.Numerics.Tensors.TensorSpan{T}"/>). In that package version these types are no longer marked
/// [Experimental], so no diagnostic suppression is needed.
/// </summary>
public static class TensorNumericsBridge
{
    extension(torch.Tensor t)
    {
        /// <summary>
        /// A <see cref="System.Numerics.Tensors.TensorSpan{T}"/> over the tensor's memory — <b>zero-copy for every CPU
        /// tensor</b>, contiguous or not: the torch strides (in elements) become the span's strides, so transposed,
        /// sliced and broadcast (stride 0) views are described exactly. Writes through the span change the tensor. The
        /// span is valid only while the tensor is alive.
        /// </summary>
        /// <typeparam name="T">The .NET type of the tensor's dtype.</typeparam>
        /// <returns>A span with the tensor's shape and strides.</returns>
        /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
        /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the tensor's dtype.</exception>
        /// <exception cref="InvalidOperationException">The tensor is not on the CPU.</exception>
        public unsafe System.Numerics.Tensors.TensorSpan<T> AsTensorSpan<T>()
            where T : unmanaged
        {
            TensorInterop.CheckAlive(t, nameof(AsTensorSpan), copies: false);
            TensorInterop.CheckElementType<T>(t, nameof(AsTensorSpan));
            if (t.device_type != DeviceType.CPU)
            {
                throw new InvalidOperationException(
                    $"AsTensorSpan needs a CPU tensor but this one is on {t.device}. Use t.cpu() first (that copies).");
            }

            long[] shape = t.shape;
            long[] strides = t.stride();
            var lengths = new nint[shape.Length];
            var spanStrides = new nint[shape.Length];
            long extent = 1;
            bool empty = false;
            for (int i = 0; i < shape.Length; i++)
            {
                lengths[i] = checked((nint)shape[i]);
                spanStrides[i] = checked((nint)strides[i]);
                empty |= shape[i] == 0;
                if (shape[i] > 0)
                {
                    extent += (shape[i] - 1) * strides[i];
                }
            }

            if (empty)
            {
                return new System.Numerics.Tensors.TensorSpan<T>((T*)null, 0, lengths, spanStrides);
            }

            return new System.Numerics.Tensors.TensorSpan<T>((T*)TensorInterop.DataPointer(t), checked((nint)extent), lengths, spanStrides);
        }
    }
}

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
