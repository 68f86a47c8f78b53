namespace TorchFacade.Conformance;

/// <summary>The devices every case is parameterised over, and whether each can run here.</summary>
public static class ConformanceDevices
{
    /// <summary>Every device a case may target: <c>cpu</c> and <c>cuda</c>.</summary>
    public static IReadOnlyList<string> All { get; } = ["cpu", "cuda"];

    /// <summary>Why <paramref name="device"/> cannot run here, or <see langword="null"/> when it can.</summary>
    /// <param name="device"><c>cpu</c> or <c>cuda</c>.</param>
    /// <returns>The skip reason, e.g. "no CUDA backend: ...".</returns>
    public static string? SkipReason(string device)
    {
        if (string.Equals(device, "cpu", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Torch.Cuda.IsAvailable ? null : "skipped: " + Torch.Cuda.UnavailableReason;
    }

    /// <summary>The TorchSharp device for a case's device name.</summary>
    /// <param name="device"><c>cpu</c> or <c>cuda</c>.</param>
    /// <returns>The device.</returns>
    public static torch.Device Of(string device) => Torch.Device(device);
}
