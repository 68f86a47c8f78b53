using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Creates tensors that alias memory the facade does not own (pinned managed arrays, <see cref="Memory{T}"/>,
/// memory-mapped files) and keeps that memory pinned or mapped exactly as long as LibTorch's storage lives.
/// LibTorch calls the deleter when the storage dies, which is after the last tensor or view over it is disposed or
/// finalized; the deleter then releases the pin. <see cref="LiveCount"/> counts the pins not yet released.
/// </summary>
internal static class PinnedMemory
{
    private static readonly ConcurrentDictionary<long, Entry> Entries = new();
    private static long nextId;
    private static long liveCount;

    /// <summary>How many aliased regions (pins, mappings) LibTorch still holds.</summary>
    internal static long LiveCount => Interlocked.Read(ref liveCount);

    /// <summary>
    /// Wraps <paramref name="data"/> (already pinned by <paramref name="owner"/>) in a CPU tensor of the given shape and
    /// dtype. <paramref name="owner"/> is disposed exactly once, when LibTorch frees the storage, or right away if the
    /// tensor cannot be created.
    /// </summary>
    internal static unsafe torch.Tensor Alias(void* data, ReadOnlySpan<long> shape, torch.ScalarType dtype, IDisposable owner) =>
        Create(data, shape, dtype, owner, counted: true);

    /// <summary>
    /// A tensor whose storage is a new array on the pinned object heap (<see cref="GC.AllocateUninitializedArray{T}(int, bool)"/>):
    /// the tensor owns it (nothing else references it), and the array is dropped when the storage dies. Used by the
    /// copying paths (<c>Torch.Tensor</c>, <c>Npy.Load</c>) because the GC reuses already-committed memory, where a
    /// fresh LibTorch allocation of a large block pays a page fault per page on first touch. Not counted in
    /// <see cref="LiveCount"/> (no user memory is pinned).
    /// </summary>
    /// <returns>The tensor and the array's memory (valid while the tensor lives).</returns>
    internal static unsafe (torch.Tensor Tensor, IntPtr Data) AllocateOwned(long bytes, ReadOnlySpan<long> shape, torch.ScalarType dtype)
    {
        // 64 extra bytes so the data can start on a 64-byte boundary (LibTorch's own allocator alignment).
        long words = ((bytes + 7) / 8) + 8;
        if (bytes == 0 || words > Array.MaxLength)
        {
            torch.Tensor t = torch.empty(shape, dtype);
            return (t, bytes == 0 ? IntPtr.Zero : TensorInterop.DataPointer(t));
        }

        // ulong elements: 8-byte aligned data, up to 16 GiB in one array.
        ulong[] buffer = GC.AllocateUninitializedArray<ulong>((int)words, pinned: true);
        nuint start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        void* data = (void*)((start + 63) & ~(nuint)63);
        return (Create(data, shape, dtype, new ArrayOwner(buffer), counted: false), (IntPtr)data);
    }

    private static unsafe torch.Tensor Create(void* data, ReadOnlySpan<long> shape, torch.ScalarType dtype, IDisposable owner, bool counted)
    {
        long id = Interlocked.Increment(ref nextId);
        var entry = new Entry(owner, counted);
        entry.Deleter = _ => Release(id);
        Entries[id] = entry;
        if (counted)
        {
            Interlocked.Increment(ref liveCount);
        }

        IntPtr handle;
        try
        {
            fixed (long* sizes = shape)
            {
                handle = InteropNative.THSTensor_new(
                    (IntPtr)data, entry.Deleter, (IntPtr)sizes, shape.Length, (sbyte)dtype, (sbyte)dtype, (int)DeviceType.CPU, -1, false);
            }
        }
        catch
        {
            Release(id);
            throw;
        }

        if (handle == IntPtr.Zero)
        {
            string error = InteropNative.LastError();
            Release(id);
            throw new InvalidOperationException($"LibTorch could not create a tensor over the given memory: {error}");
        }

        return torch.Tensor.UnsafeCreateTensor(handle);
    }

    /// <summary>Releases one alias; idempotent (LibTorch may call the deleter on a failed creation too).</summary>
    private static void Release(long id)
    {
        if (Entries.TryRemove(id, out Entry? entry))
        {
            entry.Owner.Dispose();
            if (entry.Counted)
            {
                Interlocked.Decrement(ref liveCount);
            }
        }
    }

    private sealed class Entry(IDisposable owner, bool counted)
    {
        public IDisposable Owner { get; } = owner;

        public bool Counted { get; } = counted;

        // Held here so the marshalled function pointer stays valid until LibTorch calls it.
        public InteropNative.Deleter? Deleter { get; set; }
    }

    /// <summary>Keeps a pinned-object-heap array reachable until LibTorch frees the storage over it.</summary>
    private sealed class ArrayOwner(Array array) : IDisposable
    {
        private Array? array = array;

        public void Dispose() => array = null;
    }
}
