namespace TorchFacade;

/// <summary>
/// Thrown when a tensor is asked to move to (or be created on) a device this process cannot use — for example
/// <c>cuda</c> when no CUDA backend package is referenced or no GPU is present. The message says which.
/// </summary>
public sealed class DeviceUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="device">The device that was asked for, as written (e.g. <c>cuda:1</c>).</param>
    /// <param name="message">Why it is unavailable and what to do.</param>
    public DeviceUnavailableException(string device, string message)
        : base(message)
    {
        Device = device;
    }

    /// <summary>The device that was asked for.</summary>
    public string Device { get; }
}
