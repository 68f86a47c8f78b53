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
    // The address of every empty span whose tensor has no storage: 64 aligned bytes, allocated once, never read or written.
    private static readonly unsafe void* EmptyAnchor = System.Runtime.InteropServices.NativeMemory.AlignedAlloc(64, 64);

    extension(torch.Tensor t)
    {
        /// <summary>
        /// A <see cref="System.Numerics.Tensors.TensorSpan{T}"/> over the tensor's memory — <b>zero-copy for every CPU
        /// tensor</b>, contiguous or not: the torch strides (in elements) become the span's strides, so transposed,
        /// sliced and broadcast (stride 0) views are described exactly. Writes through the span change the tensor. The
        /// span is valid only while the tensor is alive. A dimension of length 1 or 0 gets the span stride 0, whatever torch's
        /// stride for it (as in PyTorch and NumPy, the stride of such a dimension never moves to another element, and
        /// System.Numerics.Tensors requires 0 there), so tensors with size-1 dimensions and empty tensors are viewed too.
        /// </summary>
        /// <typeparam name="T">The .NET type of the tensor's dtype.</typeparam>
        /// <returns>A span with the tensor's shape and strides.</returns>
        /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
        /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the tensor's dtype.</exception>
        /// <exception cref="InvalidOperationException">The tensor is not on the CPU, or its strides make elements overlap
        /// (<c>as_strided</c> views), which a span cannot describe.</exception>
        public unsafe System.Numerics.Tensors.TensorSpan<T> AsTensorSpan<T>()
            where T : unmanaged
        {
            TensorInterop.CheckAlive(t, nameof(AsTensorSpan), copies: false);
            TensorInterop.CheckElementType<T>(t, nameof(AsTensorSpan));
            if (t.device_type != DeviceType.CPU)
            {
                throw new InvalidOperationException(
                    $"AsTensorSpan: the tensor is on {t.device}, and a TensorSpan can only view CPU memory. Use t.cpu() first (that copies).");
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
                // The stride of a length-1 (or 0) dimension never reaches another element: 0 is the same view.
                spanStrides[i] = shape[i] > 1 ? checked((nint)strides[i]) : 0;
                empty |= shape[i] == 0;
                if (shape[i] > 1)
                {
                    extent += (shape[i] - 1) * strides[i];
                }
            }

            if (empty)
            {
                // No element to reach: the lengths are the tensor's, the strides do not matter. System.Numerics.Tensors
                // refuses a null address with lengths, and LibTorch's empty tensors may have none: a never-read anchor.
                return new System.Numerics.Tensors.TensorSpan<T>((T*)EmptyAnchor, 0, lengths, new nint[shape.Length]);
            }

            try
            {
                return new System.Numerics.Tensors.TensorSpan<T>((T*)TensorInterop.DataPointer(t), checked((nint)extent), lengths, spanStrides);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException(
                    $"AsTensorSpan: the strides [{string.Join(", ", strides)}] of this tensor of shape [{string.Join(", ", shape)}] make "
                    + "elements overlap (an as_strided view), which a TensorSpan cannot describe. Use t.contiguous().AsTensorSpan<T>() (copies).",
                    ex);
            }
        }
    }
}
