using System.Reflection;
using System.Runtime.InteropServices;

namespace TorchFacade.Conformance;

/// <summary>Where a conformance run happened: library versions, machine and CUDA availability (recorded in every report).</summary>
/// <param name="TorchFacadeVersion">The TorchFacade assembly version.</param>
/// <param name="TorchSharpVersion">The TorchSharp assembly version.</param>
/// <param name="LibTorchVersion">LibTorch's own version string (<c>torch.__version__</c>).</param>
/// <param name="Runtime">The .NET runtime description.</param>
/// <param name="OperatingSystem">The operating system description.</param>
/// <param name="ProcessorCount">Logical processors visible to the process.</param>
/// <param name="CudaAvailable">Whether CUDA cases could run.</param>
/// <param name="CudaUnavailableReason">Why not, when they could not.</param>
public sealed record RunEnvironment(
    string TorchFacadeVersion,
    string TorchSharpVersion,
    string LibTorchVersion,
    string Runtime,
    string OperatingSystem,
    int ProcessorCount,
    bool CudaAvailable,
    string? CudaUnavailableReason)
{
    /// <summary>The environment of this process. Loads LibTorch (call <see cref="NativeRuntime.EnsureAvailable"/> first for a clear error).</summary>
    /// <returns>The environment.</returns>
    /// <exception cref="NativeRuntimeUnavailableException">LibTorch cannot be loaded.</exception>
    public static RunEnvironment Current()
    {
        NativeRuntime.EnsureAvailable();
        return new RunEnvironment(
            VersionOf(typeof(Torch).Assembly),
            VersionOf(typeof(torch).Assembly),
            torch.__version__,
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            Environment.ProcessorCount,
            Torch.Cuda.IsAvailable,
            Torch.Cuda.UnavailableReason);
    }

    private static string VersionOf(Assembly assembly)
    {
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is not null)
        {
            int plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
