using System.Collections.Concurrent;
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
    internal static unsafe torch.Tensor Alias(void* data, ReadOnlySpan<long> shape, torch.ScalarType dtype, IDisposable owner)
    {
        long id = Interlocked.Increment(ref nextId);
        var entry = new Entry(owner);
        entry.Deleter = _ => Release(id);
        Entries[id] = entry;
        Interlocked.Increment(ref liveCount);

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
            Interlocked.Decrement(ref liveCount);
        }
    }

    private sealed class Entry(IDisposable owner)
    {
        public IDisposable Owner { get; } = owner;

        // Held here so the marshalled function pointer stays valid until LibTorch calls it.
        public InteropNative.Deleter? Deleter { get; set; }
    }
}
