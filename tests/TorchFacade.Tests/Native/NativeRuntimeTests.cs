using System.Diagnostics;
using FluentAssertions;
using Xunit;

namespace TorchFacade.Tests.Native;

public class NativeRuntimeTests
{
    [Fact]
    public void RuntimeLoadsOnThisMachine()
    {
        NativeRuntime.IsAvailable.Should().BeTrue();
        NativeRuntime.FailureReason.Should().BeNull();
        FluentActions.Invoking(NativeRuntime.EnsureAvailable).Should().NotThrow();
    }

    [Fact]
    public void MissingGlibcxxIsExplainedWithTheCommandToRun()
    {
        var loaderError = new DllNotFoundException(
            "Unable to load shared library 'LibTorchSharp': /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found");

        string message = NativeRuntime.Explain(new TypeInitializationException("TorchSharp.torch", loaderError).InnerException!);

        message.Should().Contain("GLIBCXX_3.4.32").And.Contain("eng/native-prereqs.sh").And.Contain("Debian 12");
    }

    [Fact]
    public void MissingRuntimePackageIsExplainedWithThePackageNames()
    {
        string message = NativeRuntime.Explain(new DllNotFoundException("Unable to load shared library 'LibTorchSharp' or one of its dependencies"));

        message.Should().Contain("libtorch-cpu-linux-x64").And.Contain("./build.sh test");
    }

    [Fact]
    public void PrerequisiteScriptIsQuickAndSucceedsWhenThePrerequisiteIsPresent()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the script is for Linux; Windows needs no prerequisite
        }

        string script = Path.Combine(RepoRoot(), "eng", "native-prereqs.sh");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "--check"]) { RedirectStandardError = true })!;
        process.WaitForExit(30_000).Should().BeTrue();
        watch.Stop();

        process.ExitCode.Should().Be(0, "the test process itself loaded LibTorch, so GLIBCXX_3.4.32 is present");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the check must be quick when nothing is missing");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TorchFacade.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TorchFacade.sln not found above " + AppContext.BaseDirectory);
    }
}
