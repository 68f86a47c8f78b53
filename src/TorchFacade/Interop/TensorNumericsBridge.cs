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
