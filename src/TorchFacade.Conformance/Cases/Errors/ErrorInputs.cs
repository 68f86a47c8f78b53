namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>The bad inputs the error tables share: disposed, sparse, meta and quantized tensors, and temporary paths.</summary>
public static class ErrorInputs
{
    /// <summary>A 2×3 float32 tensor on <paramref name="device"/> that has already been disposed.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The disposed tensor.</returns>
    public static torch.Tensor Disposed(torch.Device device)
    {
        torch.Tensor t = torch.ones(2, 3, device: device);
        t.DetachFromDisposeScope();
        t.Dispose();
        return t;
    }

    /// <summary>A 2×3 float32 tensor in the sparse COO layout (no storage).</summary>
    /// <param name="device">The device.</param>
    /// <returns>The tensor.</returns>
    public static torch.Tensor Sparse(torch.Device device) => torch.ones(2, 3, device: device).to_sparse();

    /// <summary>A 2×3 float32 tensor on the meta device (shape and dtype, no values).</summary>
    /// <returns>The tensor.</returns>
    public static torch.Tensor Meta() => torch.ones(2, 3, device: torch.META);

    /// <summary>A float32 tensor of the given shape that requires grad.</summary>
    /// <param name="device">The device.</param>
    /// <param name="shape">The shape.</param>
    /// <returns>The leaf.</returns>
    public static torch.Tensor Leaf(torch.Device device, params long[] shape) => torch.ones(shape, device: device, requires_grad: true);

    /// <summary>A path under the temporary folder that does not exist.</summary>
    /// <param name="extension">The file extension, with its dot.</param>
    /// <returns>The path.</returns>
    public static string MissingFile(string extension) => Path.Combine(Path.GetTempPath(), "torchfacade-missing-" + Guid.NewGuid().ToString("N") + extension);

    /// <summary>A file with the given bytes in a new temporary folder (deleted with the folder by the OS's temp cleanup; small).</summary>
    /// <param name="extension">The file extension, with its dot.</param>
    /// <param name="bytes">The content.</param>
    /// <returns>The path.</returns>
    public static string FileWith(string extension, byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), "torchfacade-errors-" + Guid.NewGuid().ToString("N") + extension);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A directory that exists, for passing where a file is expected.</summary>
    /// <returns>The directory path.</returns>
    public static string Directory() => Path.GetTempPath();
}
