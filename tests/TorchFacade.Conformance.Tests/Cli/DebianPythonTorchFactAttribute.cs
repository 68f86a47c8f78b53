using Xunit;

namespace TorchFacade.Conformance.Tests.Cli;

/// <summary>A fact that needs Debian's python3-torch (its torch/lib folder of links to the system LibTorch).</summary>
public sealed class DebianPythonTorchFactAttribute : FactAttribute
{
    public DebianPythonTorchFactAttribute()
    {
        if (!File.Exists(Path.Combine(LibraryPathShadowingTests.DebianPythonTorchLib, "libtorch_cpu.so")))
        {
            Skip = $"no {LibraryPathShadowingTests.DebianPythonTorchLib}/libtorch_cpu.so (install Debian 13's python3-torch, e.g. through ./build.sh golden on Debian 12)";
        }
    }
}
