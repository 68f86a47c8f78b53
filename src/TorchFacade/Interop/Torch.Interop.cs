using System.Buffers;
using TorchSharp;

namespace TorchFacade;

public static partial class Torch
{
    /// <summary>
    /// PyTorch's <c>torch.from_numpy(a)</c>: a CPU tensor that <b>aliases</b> <paramref name="data"/> (zero-copy).
    /// Writing to the array changes the tensor and writing to the tensor changes the array. The array stays pinned
    /// until the tensor and every view of it have been disposed or finalized; LibTorch then releases the pin.
    /// </summary>
    /// <typeparam name="T">The element type: bool, byte, sbyte, short, int, long, Half, BFloat16, float, double or Complex.</typeparam>
    /// <param name="data">The array to alias.</param>
    /// <param name="shape">The tensor's shape (C order); defaults to <c>[data.Length]</c>. Its product must equal <c>data.Length</c>.</param>
    /// <returns>A tensor over <paramref name="data"/>'s memory.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The shape has a negative dimension or its element count differs from the array's length; or, for
    /// <see cref="System.Numerics.Complex"/>, the array is not 16-byte aligned (LibTorch's complex128 kernels need it;
    /// allocate with <see cref="AlignedArray{T}(int)"/>).
    /// </exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no torch dtype.</exception>
    public static torch.Tensor FromArray<T>(T[] data, params long[] shape)
        where T : unmanaged
    {
        TensorChecks.ThrowIfNull(data, nameof(FromArray));
        return FromMemory(new Memory<T>(data), shape, nameof(FromArray));
    }

    /// <summary>
    /// Like <see cref="FromArray{T}(T[], long[])"/> over any <see cref="Memory{T}"/> that can be pinned (an array
    /// segment, a <see cref="MemoryManager{T}"/>): zero-copy; the memory is pinned (through <see cref="Memory{T}.Pin"/>)
    /// until the tensor and all its views are gone.
    /// </summary>
    /// <typeparam name="T">The element type: bool, byte, sbyte, short, int, long, Half, BFloat16, float, double or Complex.</typeparam>
    /// <param name="data">The memory to alias.</param>
    /// <param name="shape">The tensor's shape (C order); defaults to <c>[data.Length]</c>.</param>
    /// <returns>A tensor over <paramref name="data"/>.</returns>
    /// <exception cref="ArgumentException">
    /// The shape has a negative dimension or its element count differs from the memory's length; or the memory is not
    /// aligned as LibTorch's kernels need (element size; 16 bytes for complex128).
    /// </exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no torch dtype.</exception>
    public static torch.Tensor FromMemory<T>(Memory<T> data, params long[] shape)
        where T : unmanaged => FromMemory(data, shape, nameof(FromMemory));

    private static unsafe torch.Tensor FromMemory<T>(Memory<T> data, long[] shape, string member)
        where T : unmanaged
    {
        torch.ScalarType dtype = InteropElementTypes.ScalarTypeOf<T>(member);
        long[] dims = InteropElementTypes.ResolveShape(shape, data.Length, member);
        NativeRuntime.EnsureAvailable();
        MemoryHandle pin = data.Pin();
        int alignment = InteropElementTypes.AlignmentOf(dtype);
        if ((nuint)pin.Pointer % (nuint)alignment != 0)
        {
            pin.Dispose();
            throw new ArgumentException(
                $"{member}: the memory starts at an address that is not {alignment}-byte aligned, and LibTorch's {InteropElementTypes.TorchNameOf(dtype)} "
                + "kernels need that alignment (handing them unaligned memory would crash the process). "
                + (typeof(T) == typeof(System.Numerics.Complex)
                    ? "A .NET Complex[] is only guaranteed 8-byte alignment: allocate it with Torch.AlignedArray<Complex>(length) to alias it, "
                      + "or use Torch.Tensor(data, shape), which copies."
                    : "Use Torch.Tensor(data, shape), which copies, or aligned memory."));
        }

        return PinnedMemory.Alias(pin.Pointer, dims, dtype, new MemoryHandleOwner(pin));
    }

    /// <summary>
    /// A new zeroed array that <see cref="FromArray{T}(T[], long[])"/> can always alias: allocated on the pinned object
    /// heap (it never moves) with its first element 16-byte aligned. Needed for <see cref="System.Numerics.Complex"/>:
    /// LibTorch's complex128 kernels require 16-byte alignment, while an ordinary .NET array is only 8-byte aligned (so
    /// <c>FromArray</c> of an ordinary <c>Complex[]</c> works only when it happens to be aligned, and otherwise throws).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="length">The number of elements.</param>
    /// <returns>The array.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static unsafe T[] AlignedArray<T>(int length)
        where T : unmanaged
    {
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(null, $"AlignedArray: length must be >= 0, got {length}.");
        }

        var misaligned = new List<T[]>();
        for (int attempt = 0; attempt < 64; attempt++)
        {
            T[] candidate = GC.AllocateArray<T>(length, pinned: true);
            if ((nuint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(candidate)) % 16 == 0)
            {
                GC.KeepAlive(misaligned);
                return candidate;
            }

            // Keep it alive so the next allocation lands after it, at a different alignment.
            misaligned.Add(candidate);
            _ = GC.AllocateArray<byte>(8 * (1 + (attempt % 2)), pinned: true);
        }

        throw new InvalidOperationException($"Torch.AlignedArray: could not allocate a 16-byte aligned array of {length} {typeof(T).Name} on the pinned object heap after 64 attempts; use Torch.Tensor(data, shape), which copies, instead.");
    }

    /// <summary>
    /// PyTorch's <c>torch.tensor(a)</c>: a new CPU tensor holding a <b>copy</b> of <paramref name="data"/>; later
    /// changes to either do not affect the other.
    /// </summary>
    /// <typeparam name="T">The element type: bool, byte, sbyte, short, int, long, Half, BFloat16, float, double or Complex.</typeparam>
    /// <param name="data">The values.</param>
    /// <param name="shape">The tensor's shape (C order); defaults to <c>[data.Length]</c>.</param>
    /// <returns>A new tensor that owns its storage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The shape has a negative dimension or its element count differs from the array's length.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no torch dtype.</exception>
    public static unsafe torch.Tensor Tensor<T>(T[] data, params long[] shape)
        where T : unmanaged
    {
        TensorChecks.ThrowIfNull(data, nameof(Tensor));
        torch.ScalarType dtype = InteropElementTypes.ScalarTypeOf<T>(nameof(Tensor));
        long[] dims = InteropElementTypes.ResolveShape(shape, data.LongLength, nameof(Tensor));
        NativeRuntime.EnsureAvailable();
        long bytes = data.LongLength * sizeof(T);
        (torch.Tensor result, IntPtr target) = PinnedMemory.AllocateOwned(bytes, dims, dtype);
        if (bytes > 0)
        {
            fixed (T* source = data)
            {
                Buffer.MemoryCopy(source, (void*)target, bytes, bytes);
            }
        }

        return result;
    }

    /// <summary>Releases a <see cref="MemoryHandle"/> when LibTorch frees the storage.</summary>
    private sealed class MemoryHandleOwner(MemoryHandle handle) : IDisposable
    {
        private MemoryHandle handle = handle;

        public void Dispose() => handle.Dispose();
    }
}
