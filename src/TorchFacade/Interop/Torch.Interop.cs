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
    /// <exception cref="ArgumentException">The shape has a negative dimension or its element count differs from the array's length.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no torch dtype.</exception>
    public static torch.Tensor FromArray<T>(T[] data, params long[] shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromMemory(new Memory<T>(data), shape);
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
    /// <exception cref="ArgumentException">The shape has a negative dimension or its element count differs from the memory's length.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no torch dtype.</exception>
    public static unsafe torch.Tensor FromMemory<T>(Memory<T> data, params long[] shape)
        where T : unmanaged
    {
        torch.ScalarType dtype = InteropElementTypes.ScalarTypeOf<T>();
        long[] dims = InteropElementTypes.ResolveShape(shape, data.Length, nameof(shape));
        NativeRuntime.EnsureAvailable();
        MemoryHandle pin = data.Pin();
        return PinnedMemory.Alias(pin.Pointer, dims, dtype, new MemoryHandleOwner(pin));
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
        ArgumentNullException.ThrowIfNull(data);
        torch.ScalarType dtype = InteropElementTypes.ScalarTypeOf<T>();
        long[] dims = InteropElementTypes.ResolveShape(shape, data.LongLength, nameof(shape));
        NativeRuntime.EnsureAvailable();
        torch.Tensor result = torch.empty(dims, dtype);
        long bytes = data.LongLength * sizeof(T);
        if (bytes > 0)
        {
            fixed (T* source = data)
            {
                Buffer.MemoryCopy(source, (void*)TensorInterop.DataPointer(result), bytes, bytes);
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
