using System.Diagnostics;
using FluentAssertions;
using TorchFacade.Cli;
using Xunit;

namespace TorchFacade.Conformance.Tests.Cli;

/// <summary>
/// The torchfacade CLI as its own process with a LibTorch on <c>LD_LIBRARY_PATH</c>, which the dynamic loader would bind
/// for libLibTorchSharp.so before the one the CLI ships: <c>doctor</c> names the folder and the fix and exits 1 without
/// loading anything, and a command that needs LibTorch exits with <see cref="ExitCodes.NativeRuntimeUnavailable"/> and
/// the same text instead of running on the wrong LibTorch (or dying with "symbol lookup error").
/// </summary>
public sealed class LibraryPathShadowingTests
{
    /// <summary>Where Debian 13's <c>python3-torch</c> keeps its unversioned links to the system's LibTorch 2.6.</summary>
    public const string DebianPythonTorchLib = "/usr/lib/python3/dist-packages/torch/lib";

    [LinuxFact]
    public void A_placeholder_libtorch_on_the_library_path_is_refused_before_it_is_loaded()
    {
        string folder = Directory.CreateTempSubdirectory("torchfacade-ld-").FullName;
        try
        {
            // Not a library: if the facade let the loader near it, loading would fail with a different message.
            File.WriteAllBytes(Path.Combine(folder, "libtorch_cpu.so"), "placeholder, never loaded"u8.ToArray());
            ExpectRefused(folder, $"{Path.Combine(folder, "libtorch_cpu.so")})");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [DebianPythonTorchFact]
    public void Debians_python3_torch_folder_on_the_library_path_is_diagnosed_with_its_version()
    {
        ExpectRefused(DebianPythonTorchLib, "LibTorch 2.6");
    }

    private static void ExpectRefused(string folder, string detail)
    {
        (int doctorCode, string doctor) = RunCli(folder, "doctor");
        doctorCode.Should().Be(ExitCodes.Failure, doctor);
        doctor.Should().Contain($"PROBLEM: TorchFacade: LD_LIBRARY_PATH holds {folder}, whose libtorch_cpu.so (").And.Contain(detail)
            .And.Contain("Fix: run this application without that folder on LD_LIBRARY_PATH");
        doctor.Should().NotMatchRegex(@"(?m)^loaded ", "nothing native may be loaded once the shadowing is predicted");

        (int conformCode, string conform) = RunCli(folder, "conform", "--filter", "semantics/view", "--in-process");
        conformCode.Should().Be(ExitCodes.NativeRuntimeUnavailable, conform);
        conform.Should().Contain($"TorchFacade: LD_LIBRARY_PATH holds {folder}");
        conform.Should().NotContain("undefined symbol");
    }

    private static (int Code, string Output) RunCli(string libraryPath, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TorchFacade.Cli.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["LD_LIBRARY_PATH"] = libraryPath;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(120_000).Should().BeTrue("the CLI ends within two minutes");
        return (process.ExitCode, output.Result + error.Result);
    }
}
