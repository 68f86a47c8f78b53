using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// NumPy-style access to a tensor's memory: <c>x.numpy()</c> (<see cref="AsSpan"/>, zero-copy) and
/// <c>x.numpy().copy()</c> (<see cref="ToArray"/>). See also <see cref="Torch.FromArray{T}(T[], long[])"/>.
/// </summary>
public static class TensorInterop
{
    extension(torch.Tensor t)
    {
        /// <summary>
        /// PyTorch's <c>x.numpy()</c>: a writable span over the tensor's elements (zero-copy). Writes through the span
        /// change the tensor (and every tensor sharing its storage). The span is valid only while the tensor is alive:
        /// do not keep it past <c>Dispose</c>.
        /// </summary>
        /// <typeparam name="T">The .NET type of the tensor's dtype (float for float32, Complex for complex128, ...).</typeparam>
        /// <returns>The elements in C (row-major) order.</returns>
        /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
        /// <exception cref="InvalidOperationException">The tensor is not on the CPU, is not contiguous, or has more than <see cref="int.MaxValue"/> elements.</exception>
        /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the tensor's dtype.</exception>
        public unsafe Span<T> AsSpan<T>()
            where T : unmanaged
        {
            IntPtr data = CheckSpanAccess<T>(t, nameof(AsSpan));
            return new Span<T>((void*)data, (int)t.numel());
        }

        /// <summary>
        /// A read-only span over the tensor's elements (zero-copy); see <see cref="AsSpan"/> for the rules.
        /// </summary>
        /// <typeparam name="T">The .NET type of the tensor's dtype.</typeparam>
        /// <returns>The elements in C (row-major) order.</returns>
        /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
        /// <exception cref="InvalidOperationException">The tensor is not on the CPU, is not contiguous, or has more than <see cref="int.MaxValue"/> elements.</exception>
        /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the tensor's dtype.</exception>
        public unsafe ReadOnlySpan<T> AsReadOnlySpan<T>()
            where T : unmanaged
        {
            IntPtr data = CheckSpanAccess<T>(t, nameof(AsReadOnlySpan));
            return new ReadOnlySpan<T>((void*)data, (int)t.numel());
        }

        /// <summary>
        /// PyTorch's <c>x.numpy().copy()</c> (after <c>.cpu()</c>): a new array with the tensor's elements in C order,
        /// from any device and any layout (non-contiguous views are gathered). The array does not alias the tensor.
        /// </summary>
        /// <typeparam name="T">The .NET type of the tensor's dtype.</typeparam>
        /// <returns>A copy of the elements.</returns>
        /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
        /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the tensor's dtype (convert first with <c>.to(dtype)</c>).</exception>
        /// <exception cref="InvalidOperationException">The tensor has more elements than a .NET array can hold.</exception>
        public unsafe T[] ToArray<T>()
            where T : unmanaged
        {
            CheckAlive(t);
            CheckElementType<T>(t);
            long count = t.numel();
            if (count > Array.MaxLength)
            {
                throw new InvalidOperationException(
                    $"The tensor has {count} elements, more than a .NET array can hold ({Array.MaxLength}).");
            }

            var result = new T[count];
            if (count == 0)
            {
                return result;
            }

            torch.Tensor? onCpu = t.device_type == DeviceType.CPU ? null : t.cpu();
            torch.Tensor source = onCpu ?? t;
            torch.Tensor? dense = source.is_contiguous() ? null : source.contiguous();
            try
            {
                IntPtr data = DataPointer(dense ?? source);
                long bytes = count * sizeof(T);
                fixed (T* target = result)
                {
                    Buffer.MemoryCopy((void*)data, target, bytes, bytes);
                }
            }
            finally
            {
                dense?.Dispose();
                onCpu?.Dispose();
            }

            return result;
        }
    }

    /// <summary>The address of the tensor's first element (<c>x.data_ptr()</c>).</summary>
    internal static IntPtr DataPointer(torch.Tensor t) => InteropNative.THSTensor_data(t.Handle);

    internal static void CheckAlive(torch.Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.IsInvalid)
        {
            throw new ObjectDisposedException(nameof(torch.Tensor), "The tensor has been disposed; its memory can no longer be accessed.");
        }
    }

    internal static void CheckElementType<T>(torch.Tensor t)
        where T : unmanaged
    {
        torch.ScalarType expected;
        try
        {
            expected = InteropElementTypes.ScalarTypeOf<T>();
        }
        catch (NotSupportedException ex)
        {
            throw new ArgumentException(ex.Message, nameof(T), ex);
        }

        if (t.dtype != expected)
        {
            throw new ArgumentException(
                $"The tensor's dtype is {InteropElementTypes.TorchNameOf(t.dtype)} (.NET {InteropElementTypes.DotNetNameOf(t.dtype)}) "
                + $"but {typeof(T).Name} ({InteropElementTypes.TorchNameOf(expected)}) was asked for. "
                + $"Ask for the matching type, or convert first: t.to(ScalarType.{expected}).",
                nameof(T));
        }
    }

    private static IntPtr CheckSpanAccess<T>(torch.Tensor t, string member)
        where T : unmanaged
    {
        CheckAlive(t);
        CheckElementType<T>(t);
        if (t.device_type != DeviceType.CPU)
        {
            throw new InvalidOperationException(
                $"{member} needs a CPU tensor but this one is on {t.device}; its memory is not addressable from .NET. "
                + "Use ToArray<T>() (copies), or t.cpu() first.");
        }

        if (!t.is_contiguous())
        {
            throw new InvalidOperationException(
                $"{member} needs a contiguous tensor but this one has shape [{string.Join(", ", t.shape)}] and strides "
                + $"[{string.Join(", ", t.stride())}]. Call Contiguous() (t.contiguous()) first (that copies), or use "
                + "AsTensorSpan<T>(), which handles strides without copying.");
        }

        long count = t.numel();
        if (count > int.MaxValue)
        {
            throw new InvalidOperationException(
                $"{member}: the tensor has {count} elements, more than a Span can index; use AsTensorSpan<T>() or narrow the tensor.");
        }

        return count == 0 ? IntPtr.Zero : DataPointer(t);
    }
}
