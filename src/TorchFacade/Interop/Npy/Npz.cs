using System.IO.Compression;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// NumPy's <c>.npz</c> format: a zip archive of <c>.npy</c> files (<c>np.savez</c> stores them, <c>np.savez_compressed</c>
/// deflates them; NumPy writes zip64 extra fields, which are read too). Keys are entry names without <c>.npy</c>.
/// </summary>
public static class Npz
{
    // Deflate cannot expand data by more than about 1032:1; an entry claiming more is lying about its size.
    private const long MaxDeflateRatio = 1032;

    /// <summary>NumPy's <c>dict(np.load(path))</c> for an <c>.npz</c> file: every array, read into new tensors.</summary>
    /// <param name="path">The archive.</param>
    /// <returns>The arrays by name (entry name without <c>.npy</c>), in archive order. Dispose the tensors when done.</returns>
    /// <exception cref="NpyFormatException">The file is not a zip archive, an entry is not a <c>.npy</c> file, or an entry is malformed.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyDictionary<string, torch.Tensor> Load(string path)
    {
        NpyFiles.CheckFile(path, "Npz.Load");
        NativeRuntime.EnsureAvailable();
        using FileStream stream = NpyFiles.OpenRead(path, "Npz.Load");
        return Read(stream, path);
    }

    /// <summary>NumPy's <c>np.savez(path, **arrays)</c> / <c>np.savez_compressed</c>.</summary>
    /// <param name="path">The archive to create or replace (written to a temporary file, then renamed over it).</param>
    /// <param name="arrays">The arrays by name; each becomes the entry <c>name.npy</c>.</param>
    /// <param name="compressed"><see langword="false"/>: stored entries (<c>np.savez</c>); <see langword="true"/>: deflated (<c>np.savez_compressed</c>).</param>
    /// <exception cref="ArgumentException">A name is empty or a tensor is null, bfloat16 or disposed.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, torch.Tensor> arrays, bool compressed = false)
    {
        TensorChecks.ThrowIfNull(path, "Npz.Save");
        TensorChecks.ThrowIfNull(arrays, "Npz.Save");
        foreach ((string key, torch.Tensor tensor) in arrays)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("Npz.Save: array names must be non-empty.");
            }

            if (tensor is null)
            {
                throw new ArgumentException($"Npz.Save: the array '{key}' is null.");
            }

            TensorInterop.CheckAlive(tensor, "Npz.Save");
            _ = NpyDType.DescrOf(tensor.dtype, "Npz.Save");
        }

        Npy.WriteReplacing(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach ((string key, torch.Tensor tensor) in arrays)
            {
                ZipArchiveEntry entry = zip.CreateEntry(key + ".npy", compressed ? CompressionLevel.Fastest : CompressionLevel.NoCompression);
                using Stream entryStream = entry.Open();
                NpyWriter.Write(entryStream, tensor);
            }
        }, bufferSize: 4096);
    }

    /// <summary>Reads every array of an archive held in a seekable stream.</summary>
    internal static IReadOnlyDictionary<string, torch.Tensor> Read(Stream stream, string name)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new NpyFormatException(name, $"not a valid zip archive (.npz files are zip archives): {ex.Message}", ex);
        }

        var result = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            using (zip)
            {
                foreach (ZipArchiveEntry entry in zip.Entries)
                {
                    string entryName = $"{name}:{entry.FullName}";
                    if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
                    {
                        throw new NpyFormatException(entryName, "the archive entry is not a .npy file; an .npz archive holds only name.npy entries");
                    }

                    string key = entry.FullName[..^4];
                    if (result.ContainsKey(key))
                    {
                        throw new NpyFormatException(entryName, $"the archive holds '{key}' twice");
                    }

                    // Bound what the entry may hold by the bytes the archive really has: a stored entry holds at most the
                    // archive's length, a deflated one at most MaxDeflateRatio times it. Sizes in the zip directory may lie.
                    long archiveBytes = stream.CanSeek ? stream.Length : long.MaxValue;
                    long compressed = Math.Min(entry.CompressedLength, archiveBytes);
                    long available = Math.Min(entry.Length, entry.CompressedLength >= entry.Length
                        ? compressed
                        : compressed > long.MaxValue / MaxDeflateRatio ? long.MaxValue : (compressed * MaxDeflateRatio) + 1024);
                    Stream entryStream;
                    try
                    {
                        entryStream = entry.Open();
                    }
                    catch (InvalidDataException ex)
                    {
                        throw new NpyFormatException(entryName, $"the archive entry cannot be opened: {ex.Message}", ex);
                    }

                    using (entryStream)
                    {
                        var crc = new CrcStream(entryStream);
                        torch.Tensor array = NpyReader.Read(crc, entryName, available);
                        result.Add(key, array);
                        long rest = crc.Drain(Math.Max(0, entry.Length - crc.BytesRead));
                        if (crc.Crc != entry.Crc32)
                        {
                            throw new NpyFormatException(
                                entryName,
                                $"the entry's CRC-32 is {crc.Crc:x8} but the archive records {entry.Crc32:x8}: the data is corrupt "
                                + "(NumPy refuses it too: BadZipFile: Bad CRC-32). Re-create the file.");
                        }

                        if (crc.BytesRead != entry.Length)
                        {
                            throw new NpyFormatException(entryName, $"the entry holds {crc.BytesRead} bytes but the archive records {entry.Length} (after {rest} trailing bytes)");
                        }
                    }
                }
            }
        }
        catch (Exception ex)
        {
            foreach (torch.Tensor t in result.Values)
            {
                t.Dispose();
            }

            if (ex is InvalidDataException or NotSupportedException)
            {
                throw new NpyFormatException(name, $"the archive is corrupt: {ex.Message}", ex);
            }

            throw;
        }

        return result;
    }
}
