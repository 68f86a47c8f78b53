using TorchSharp;

namespace TorchFacade;

/// <summary>Writes one tensor as a <c>.npy</c> array (C order, this machine's byte order, format 1.0 or 2.0).</summary>
internal static class NpyWriter
{
    private const int Chunk = 1 << 30;

    /// <exception cref="ArgumentException">The dtype has no NumPy counterpart (bfloat16).</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    internal static unsafe void Write(Stream stream, torch.Tensor tensor)
    {
        TensorInterop.CheckAlive(tensor, "Npy.Save");
        byte[] header = NpyHeader.Format(tensor.dtype, tensor.shape);
        torch.Tensor? onCpu = tensor.device_type == DeviceType.CPU ? null : tensor.cpu();
        torch.Tensor source = onCpu ?? tensor;
        torch.Tensor? dense = source.is_contiguous() ? null : source.contiguous();
        try
        {
            torch.Tensor block = dense ?? source;
            stream.Write(header);
            long bytes = block.numel() * block.element_size();
            byte* data = bytes == 0 ? null : (byte*)TensorInterop.DataPointer(block);
            for (long done = 0; done < bytes;)
            {
                int n = (int)Math.Min(Chunk, bytes - done);
                stream.Write(new ReadOnlySpan<byte>(data + done, n));
                done += n;
            }
        }
        finally
        {
            dense?.Dispose();
            onCpu?.Dispose();
        }
    }
}
