using System.IO.MemoryMappedFiles;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// One copy-on-write mapping of a whole checkpoint file, shared by every tensor aliased from it (as
/// <c>torch.load(mmap=True)</c> and <c>safetensors</c>' <c>safe_open</c> share one <c>mmap</c>). Reference-counted: the
/// loader holds one reference while it builds tensors, and each aliased storage one more (released by LibTorch's
/// deleter through <see cref="PinnedMemory"/>); the mapping is unmapped when the last is released. The file itself is
/// never modified: writes to the tensors stay private to the process.
/// </summary>
internal sealed unsafe class MappedCheckpointFile : IDisposable
{
    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* start;
    private int references = 1;

    private MappedCheckpointFile(MemoryMappedFile file, MemoryMappedViewAccessor view, long length)
    {
        this.file = file;
        this.view = view;
        Length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        start = pointer + view.PointerOffset;
    }

    /// <summary>The file's length in bytes.</summary>
    internal long Length { get; }

    /// <summary>The first byte of the mapping (valid while a reference is held).</summary>
    internal byte* Start => start;

    /// <summary>Maps <paramref name="path"/> (which must not be empty) copy-on-write.</summary>
    internal static MappedCheckpointFile Open(string path, long length)
    {
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.CopyOnWrite);
        try
        {
            MemoryMappedViewAccessor view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.CopyOnWrite);
            return new MappedCheckpointFile(file, view, length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A CPU tensor of the given shape and dtype over the mapped bytes at <paramref name="offset"/> (the caller has
    /// checked that the bytes lie inside the file and are aligned for the dtype); the tensor holds a reference.
    /// </summary>
    internal torch.Tensor Alias(long offset, ReadOnlySpan<long> shape, torch.ScalarType dtype)
    {
        Interlocked.Increment(ref references);
        return PinnedMemory.Alias(start + offset, shape, dtype, new Reference(this));
    }

    /// <summary>Releases the loader's own reference.</summary>
    public void Dispose() => Release();

    private void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
            file.Dispose();
        }
    }

    /// <summary>One storage's reference, released exactly once when LibTorch frees the storage.</summary>
    private sealed class Reference(MappedCheckpointFile owner) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}
