using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade;

/// <summary>PyTorch's <c>x.to(device)</c> on TorchSharp's <see cref="Tensor"/>, with a clear error when the device cannot be used.</summary>
public static class TensorDevices
{
    extension(Tensor t)
    {
        /// <summary>
        /// PyTorch's <c>x.to("cuda")</c> / <c>x.to("cpu")</c>: the tensor on <paramref name="device"/> (a copy on the other
        /// device; when <c>t</c> is already there LibTorch returns a tensor sharing its storage). Accepts <c>cpu</c>,
        /// <c>cuda</c> and <c>cuda:N</c>, case-insensitively (the seed notes write <c>'CPU'</c>).
        /// </summary>
        /// <param name="device">The device string.</param>
        /// <returns>The tensor on that device (a new <see cref="Tensor"/> object to dispose).</returns>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="ArgumentException"><paramref name="device"/> is not one of the accepted forms (the message lists them).</exception>
        /// <exception cref="DeviceUnavailableException">CUDA was asked for and no CUDA backend package is referenced, no GPU was found, or the index is out of range.</exception>
        public Tensor To(string device)
        {
            TensorChecks.ThrowIfDisposed(t, nameof(To));
            (DeviceType type, int index) = Torch.ParseDevice(device, nameof(To));
            ThrowIfUnavailable(type, index, device);
            return t.to(type, index);
        }

        /// <summary>PyTorch's <c>x.to(device)</c> with a device object (see <see cref="Torch.Device(string)"/>).</summary>
        /// <param name="device">The device.</param>
        /// <returns>The tensor on that device.</returns>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="device"/> is null.</exception>
        /// <exception cref="DeviceUnavailableException">CUDA was asked for and no CUDA backend package is referenced, no GPU was found, or the index is out of range.</exception>
        public Tensor To(torch.Device device)
        {
            TensorChecks.ThrowIfDisposed(t, nameof(To));
            TensorChecks.ThrowIfNull(device, nameof(To));
            ThrowIfUnavailable(device.type, device.index, device.ToString());
            return t.to(device);
        }
    }

    /// <summary>Throws <see cref="DeviceUnavailableException"/> when a tensor cannot be placed on the device.</summary>
    /// <param name="type">The device type.</param>
    /// <param name="index">The device index, or -1 for the current one.</param>
    /// <param name="spec">The device as the caller wrote it.</param>
    internal static void ThrowIfUnavailable(DeviceType type, int index, string spec)
    {
        if (type == DeviceType.CPU)
        {
            return;
        }

        if (type != DeviceType.CUDA)
        {
            throw new DeviceUnavailableException(spec, $"To: device type {type} is not supported by TorchFacade; use 'cpu' or 'cuda[:N]'.");
        }

        if (!Torch.Cuda.IsAvailable)
        {
            throw new DeviceUnavailableException(
                spec,
                $"To('{spec}'): CUDA is not available in this process — {Torch.Cuda.UnavailableReason}. "
                + "Check Torch.Cuda.IsAvailable first and fall back to 'cpu' (PyTorch: device = 'cuda' if torch.cuda.is_available() else 'cpu').");
        }

        if (index >= Torch.Cuda.DeviceCount)
        {
            throw new DeviceUnavailableException(
                spec,
                $"To('{spec}'): no GPU with index {index}: this machine has {Torch.Cuda.DeviceCount} CUDA device(s), numbered from 0.");
        }
    }
}
