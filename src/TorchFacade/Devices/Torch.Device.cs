using System.Globalization;
using TorchSharp;

namespace TorchFacade;

public static partial class Torch
{
    /// <summary>
    /// PyTorch's <c>torch.device(spec)</c>. Accepts <c>cpu</c>, <c>cuda</c> and <c>cuda:N</c>, case-insensitively
    /// (the seed notes write <c>'CPU'</c>). Creating the device object never needs a GPU; moving a tensor to it does
    /// (see <c>To</c>).
    /// </summary>
    /// <param name="spec">The device string.</param>
    /// <returns>The TorchSharp device.</returns>
    /// <exception cref="ArgumentException">The string is not one of the accepted forms.</exception>
    public static torch.Device Device(string spec)
    {
        (DeviceType type, int index) = ParseDevice(spec, nameof(Device));
        NativeRuntime.EnsureAvailable();
        return new torch.Device(type, index);
    }

    /// <summary>Parses a device string into its type and index (-1 when no index was given) without touching LibTorch.</summary>
    /// <param name="spec">The device string.</param>
    /// <returns>The device type and index.</returns>
    /// <exception cref="ArgumentException">The string is not one of the accepted forms.</exception>
    /// <param name="member">The public member parsing it (its messages start with it).</param>
    internal static (DeviceType Type, int Index) ParseDevice(string spec, string member)
    {
        TensorChecks.ThrowIfNull(spec, member);
        string s = spec.Trim().ToLowerInvariant();
        if (s == "cpu")
        {
            return (DeviceType.CPU, -1);
        }

        if (s == "cuda")
        {
            return (DeviceType.CUDA, -1);
        }

        if (s.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(s.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return (DeviceType.CUDA, index);
        }

        throw new ArgumentException(
            $"{member}: '{spec}' is not a device this facade accepts. Use 'cpu', 'cuda' or 'cuda:N' (N = 0, 1, ...; case-insensitive).");
    }
}
