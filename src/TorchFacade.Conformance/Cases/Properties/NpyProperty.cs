namespace TorchFacade.Conformance.Cases.Properties;

/// <summary><c>Npy.Save</c> then <c>Npy.Load</c> (copied and memory-mapped) give back the dtype, shape and bits.</summary>
internal sealed class NpyProperty : IElementProperty
{
    /// <inheritdoc />
    public string? Check<T>(T[] data, long[] shape, torch.Device device)
        where T : unmanaged
    {
        string folder = Directory.CreateTempSubdirectory("torchfacade-property-").FullName;
        try
        {
            string path = Path.Combine(folder, "x.npy");
            torch.Tensor t = Torch.Tensor(data, shape).to(device);
            Npy.Save(path, t);
            foreach (bool map in new[] { false, true })
            {
                using torch.Tensor loaded = Npy.Load(path, memoryMap: map);
                string how = map ? "Npy.Load(memoryMap: true)" : "Npy.Load";
                if (loaded.dtype != t.dtype || !loaded.shape.SequenceEqual(t.shape))
                {
                    return $"{how} gave {loaded.dtype} [{string.Join(", ", loaded.shape)}], saved {t.dtype} [{string.Join(", ", t.shape)}]";
                }

                if (!InteropProperties.SameBits<T>(loaded.ToArray<T>(), data))
                {
                    return $"{how} differs from the saved elements";
                }
            }

            return null;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
