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
        /// <exception cref="TorchException">
        /// The tensor requires grad (PyTorch's <c>numpy()</c>: "Can't call numpy() on Tensor that requires grad"; writes would
        /// bypass autograd: use <c>t.Detach().AsSpan&lt;T&gt;()</c> or <c>ToArray&lt;T&gt;()</c>), is sparse or on the meta device
        /// (<c>TypeError</c>).
        /// </exception>
        public unsafe Span<T> AsSpan<T>()
            where T : unmanaged
        {
            IntPtr data = CheckSpanAccess<T>(t, nameof(AsSpan), writable: true);
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
            IntPtr data = CheckSpanAccess<T>(t, nameof(AsReadOnlySpan), writable: false);
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
        /// <exception cref="TorchException">The tensor is sparse or on the meta device (PyTorch's <c>TypeError</c> "can't convert ... to numpy").</exception>
        public unsafe T[] ToArray<T>()
            where T : unmanaged
        {
            CheckAlive(t, nameof(ToArray));
            CheckElementType<T>(t, nameof(ToArray));
            long count = t.numel();
            if (count > Array.MaxLength)
            {
                throw new InvalidOperationException(
                    $"ToArray: the tensor has {count} elements, more than a .NET array can hold ({Array.MaxLength}); copy it out in slices (t.narrow(0, start, length).ToArray<T>()) or use AsSpan on a CPU tensor.");
            }

            var result = new T[count];
            if (count == 0)
            {
                return result;
            }

            torch.Tensor? onCpu = t.device_type == DeviceType.CPU ? null : LibTorchErrors.Run(nameof(ToArray), () => t.cpu());
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

    /// <summary>Like <see cref="CheckAlive(torch.Tensor, string, bool, string?)"/>, naming the calling member.</summary>
    /// <param name="t">The tensor.</param>
    /// <param name="member">The calling member (filled in by the compiler).</param>
    internal static void CheckAlive(torch.Tensor t, [System.Runtime.CompilerServices.CallerMemberName] string member = "") =>
        CheckAlive(t, member, copies: true, name: "tensor");

    /// <summary>Throws unless <paramref name="t"/> is alive and has values in one memory block (strided, not meta).</summary>
    /// <param name="t">The tensor.</param>
    /// <param name="member">The facade member being called.</param>
    /// <param name="copies">Whether the member copies the values to the host (then a meta tensor is refused here; span members refuse every non-CPU tensor themselves).</param>
    /// <param name="name">The argument's expression.</param>
    internal static void CheckAlive(torch.Tensor t, string member, bool copies = true, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(t))] string? name = null)
    {
        TensorChecks.ThrowIfDisposed(t, member, name);
        if (NativeTensor.StorageErrorOf(t) is not null)
        {
            string layout = NativeTensor.IsSparseOf(t) ? "Sparse" : "non-strided";
            throw LibTorchErrors.Raise(
                PyTorchErrorTypes.TypeError, member, $"can't convert {layout} layout tensor to numpy. Use Tensor.dense() first.",
                $"(The tensor '{name}' has no single memory block; C#: t.to_dense().)");
        }

        if (copies && NativeTensor.DeviceTypeOf(t) == DeviceType.META)
        {
            throw LibTorchErrors.Raise(
                PyTorchErrorTypes.TypeError, member,
                "can't convert meta device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.",
                $"(The tensor '{name}' is on the meta device: it has a shape and dtype but no values to copy.)");
        }
    }

    internal static void CheckElementType<T>(torch.Tensor t, string member)
        where T : unmanaged
    {
        torch.ScalarType expected;
        try
        {
            expected = InteropElementTypes.ScalarTypeOf<T>(member);
        }
        catch (NotSupportedException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }

        if (t.dtype is torch.ScalarType.QInt8 or torch.ScalarType.QUInt8 or torch.ScalarType.QInt32)
        {
            throw LibTorchErrors.Raise(
                PyTorchErrorTypes.TypeError, member, $"Got unsupported ScalarType {t.dtype}",
                "(The tensor is quantized: its elements are integers with a scale and zero point, not values of a .NET type. Dequantize it to a float tensor first.)");
        }

        if (t.dtype != expected)
        {
            throw new ArgumentException(
                $"{member}<{typeof(T).Name}>: the tensor's dtype is {InteropElementTypes.TorchNameOf(t.dtype)} (.NET {InteropElementTypes.DotNetNameOf(t.dtype)}) "
                + $"but {typeof(T).Name} ({InteropElementTypes.TorchNameOf(expected)}) was asked for. "
                + $"Ask for the matching type, or convert first: t.to(ScalarType.{expected}).");
        }
    }

    private static IntPtr CheckSpanAccess<T>(torch.Tensor t, string member, bool writable)
        where T : unmanaged
    {
        CheckAlive(t, member, copies: false);
        CheckElementType<T>(t, member);
        if (writable && NativeTensor.RequiresGradOf(t))
        {
            throw LibTorchErrors.Raise(
                PyTorchErrorTypes.RuntimeError, member,
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
                "Writes through the span would bypass autograd. C#: t.Detach().AsSpan<T>() (shares the memory), or ToArray<T>() (copies).");
        }

        if (t.device_type != DeviceType.CPU)
        {
            throw new InvalidOperationException(
                $"{member}: needs a CPU tensor but this one is on {t.device}; its memory is not addressable from .NET. "
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
