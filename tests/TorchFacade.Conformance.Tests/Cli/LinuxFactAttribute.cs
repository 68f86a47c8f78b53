using Xunit;

namespace TorchFacade.Conformance.Tests.Cli;

/// <summary>A fact that runs on Linux only (LD_LIBRARY_PATH and the ELF loader are Linux's).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: LD_LIBRARY_PATH and the dynamic loader's search order are Linux's";
        }
    }
}
