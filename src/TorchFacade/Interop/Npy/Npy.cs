using System.IO.MemoryMappedFiles;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// NumPy's <c>.npy</c> format: <c>np.load</c> / <c>np.save</c> for tensors. Reads format versions 1.0, 2.0 and 3.0;
/// little- and big-endian data (big-endian is byte-swapped on load); C and Fortran order (Fortran-order files load as
/// a tensor with column-major strides, like NumPy's own array, not as a copy); 0-d, empty and high-rank shapes; dtypes
/// b1, i1, u1, i2, i4, i8, f2, f4, f8, c8 and c16. uint16/32/64, object, string and structured dtypes raise
/// <see cref="NpyFormatException"/>. Every header is checked against the file's length before anything is allocated.
/// </summary>
public static class Npy
{
    /// <summary>
    /// PyTorch/NumPy's <c>torch.from_numpy(np.load(path))</c> (or <c>np.load(path, mmap_mode='c')</c> with
    /// <paramref name="memoryMap"/>).
    /// </summary>
    /// <param name="path">The <c>.npy</c> file (used as given; no extension is added).</param>
    /// <param name="memoryMap">
    /// <see langword="false"/> (default): read the data into a new tensor that owns its memory.
    /// <see langword="true"/>: map the file copy-on-write and return a tensor that aliases the mapping (constant time,
    /// no read): the file is never modified (writes to the tensor stay private to this process, like NumPy's
    /// <c>mmap_mode='c'</c>); the mapping lives until the tensor and every view of it are disposed or finalized.
    /// Use <see cref="MemoryMap(string, bool)"/> with <c>writable: true</c> to write through to the file.
    /// Big-endian files cannot be aliased (torch has no byte order) and are read into memory instead; so are files whose
    /// data offset is not aligned for the dtype (NumPy pads headers to 64 bytes, so only hand-made files are affected).
    /// </param>
    /// <returns>The array as a CPU tensor.</returns>
    /// <exception cref="NpyFormatException">The file is malformed or holds a dtype torch cannot hold.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static torch.Tensor Load(string path, bool memoryMap = false)
    {
        NpyFiles.CheckFile(path, "Npy.Load");
        NativeRuntime.EnsureAvailable();
        if (memoryMap)
        {
            return MemoryMap(path, writable: false);
        }

        using FileStream stream = NpyFiles.OpenRead(path, "Npy.Load", FileOptions.SequentialScan);
        return NpyReader.Read(stream, path, stream.Length);
    }

    /// <summary>
    /// Maps a <c>.npy</c> file and returns a tensor aliasing its data (NumPy's <c>np.load(path, mmap_mode=...)</c>).
    /// </summary>
    /// <param name="path">The <c>.npy</c> file.</param>
    /// <param name="writable">
    /// <see langword="false"/>: copy-on-write (<c>mmap_mode='c'</c>), the file is never changed.
    /// <see langword="true"/>: read-write (<c>mmap_mode='r+'</c>), writes to the tensor go to the file.
    /// </param>
    /// <returns>A CPU tensor over the mapping; the mapping is released when the tensor and all its views are gone.</returns>
    /// <exception cref="NpyFormatException">The file is malformed or holds a dtype torch cannot hold.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static unsafe torch.Tensor MemoryMap(string path, bool writable = false)
    {
        NpyFiles.CheckFile(path, "Npy.MemoryMap");
        NativeRuntime.EnsureAvailable();
        NpyHeader header;
        using (FileStream probe = NpyFiles.OpenRead(path, "Npy.MemoryMap", share: FileShare.ReadWrite))
        {
            header = NpyHeader.Read(probe, path, probe.Length);
            bool misaligned = header.DataOffset % InteropElementTypes.AlignmentOf(header.DType.Type) != 0;
            if (writable && (header.DType.BigEndian || misaligned))
            {
                // A copy would silently drop every write: refuse, with the reason.
                throw new NotSupportedException(
                    $"Npy.MemoryMap: '{path}' cannot be mapped with writable: true because "
                    + (header.DType.BigEndian
                        ? "its data is big-endian and torch tensors have no byte order (the values would need swapping)"
                        : $"its data starts at byte {header.DataOffset}, which is not aligned for {InteropElementTypes.TorchNameOf(header.DType.Type)}")
                    + ". Load it with Npy.Load (a copy) and write it back with Npy.Save, or re-save it with NumPy (np.save writes aligned little-endian files).");
            }

            if (header.DType.Type == torch.ScalarType.Bool && header.DataBytes > 0)
            {
                ThrowIfNotCanonicalBool(probe, path, header);
            }

            if (header.DType.BigEndian || header.DataBytes == 0 || misaligned)
            {
                // Nothing to alias (empty) or nothing torch could alias (big-endian, or data not aligned for the
                // dtype, as in hand-made files whose header is not padded to 64 bytes): an ordinary load.
                return NpyReader.ReadBody(probe, path, header);
            }
        }

        MemoryMappedFileAccess access = writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.CopyOnWrite;
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, access);
        MappedRegion? region = null;
        try
        {
            MemoryMappedViewAccessor view = file.CreateViewAccessor(0, 0, access);
            region = new MappedRegion(file, view);
            byte* start = region.Acquire();
            torch.Tensor storage = PinnedMemory.Alias(start + header.DataOffset, NpyReader.StorageShape(header), header.DType.Type, region);
            region = null; // owned by the tensor's storage now
            return NpyReader.ToLogicalLayout(storage, header);
        }
        catch
        {
            if (region is not null)
            {
                region.Dispose();
            }
            else
            {
                file.Dispose();
            }

            throw;
        }
    }

    /// <summary>PyTorch/NumPy's <c>np.save(path, t.numpy())</c>: writes the tensor as a <c>.npy</c> file.</summary>
    /// <param name="path">
    /// The file to create or replace (used as given; no extension is added). The data is written to a temporary file in
    /// the same folder that is then renamed over <paramref name="path"/>, so saving over a file that is memory-mapped
    /// (even the tensor's own file) is safe.
    /// </param>
    /// <param name="t">The tensor: any device, any layout (written in C order); bfloat16 is refused (NumPy has no such dtype).</param>
    /// <exception cref="ArgumentException">The tensor is bfloat16 or another dtype NumPy lacks; convert it first.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public static void Save(string path, torch.Tensor t)
    {
        TensorChecks.ThrowIfNull(path, "Npy.Save");
        TensorChecks.ThrowIfNull(t, "Npy.Save");
        TensorInterop.CheckAlive(t, "Npy.Save");
        _ = NpyDType.DescrOf(t.dtype); // refuse before creating the file
        WriteReplacing(path, stream => NpyWriter.Write(stream, t), bufferSize: 1);
    }

    /// <summary>
    /// Writes a new file next to <paramref name="path"/> and renames it over <paramref name="path"/>. Truncating a file
    /// in place would make any live memory mapping of it (<see cref="Load(string, bool)"/> with <c>memoryMap: true</c>
    /// — including the very tensor being saved) fault with SIGBUS on its next access and kill the process; after a
    /// rename the mapping keeps the old file's data. Readers also never see a half-written file.
    /// </summary>
    internal static void WriteReplacing(string path, Action<FileStream> write, int bufferSize)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize))
            {
                write(stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Reads one array from a stream holding a <c>.npy</c> file (from the stream's position to its end).</summary>
    /// <param name="stream">A seekable stream.</param>
    /// <param name="name">A name for messages.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="NpyFormatException">The data is malformed.</exception>
    internal static torch.Tensor Read(Stream stream, string name)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException($"Npy.Load: the stream of '{name}' is not seekable, and its length must be checked against the header; copy it into a MemoryStream first.");
        }

        return NpyReader.Read(stream, name, stream.Length - stream.Position);
    }

    /// <summary>
    /// Refuses a bool array with bytes other than 0 and 1 for mapping: aliased, such a byte would be a .NET <see cref="bool"/>
    /// that is neither <see langword="true"/> nor <see langword="false"/> (and LibTorch's kernels assume 0/1).
    /// <see cref="Load(string, bool)"/> without mapping normalizes them instead, as NumPy's <c>astype(bool)</c> would.
    /// </summary>
    private static void ThrowIfNotCanonicalBool(FileStream stream, string path, NpyHeader header)
    {
        stream.Position = header.DataOffset;
        Span<byte> buffer = stackalloc byte[4096];
        for (long done = 0; done < header.DataBytes;)
        {
            int n = stream.Read(buffer[..(int)Math.Min(buffer.Length, header.DataBytes - done)]);
            if (n == 0)
            {
                break;
            }

            int bad = buffer[..n].IndexOfAnyExcept((byte)0, (byte)1);
            if (bad >= 0)
            {
                throw new NpyFormatException(
                    path,
                    $"the bool array holds the byte {buffer[bad]} at element {done + bad}; a memory-mapped bool array must hold only 0 and 1 "
                    + "(any other byte would read as a bool that is neither true nor false). Load it without mapping "
                    + "(Npy.Load(path)), which turns every non-zero byte into true.");
            }

            done += n;
        }
    }

    /// <summary>A mapped view whose pointer is held until LibTorch frees the storage.</summary>
    private sealed unsafe class MappedRegion(MemoryMappedFile file, MemoryMappedViewAccessor view) : IDisposable
    {
        private bool acquired;

        public byte* Acquire()
        {
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            return pointer + view.PointerOffset;
        }

        public void Dispose()
        {
            if (acquired)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                acquired = false;
            }

            view.Dispose();
            file.Dispose();
        }
    }
}
