using FluentAssertions;
using Xunit;

namespace TorchFacade.Conformance.Tests.Cli;

/// <summary><c>torchfacade doctor</c> in a correctly packaged application: the shipped LibTorch is the one loaded, no problem, exit 0.</summary>
public sealed class DoctorTests
{
    [Fact]
    public void Doctor_reports_the_loaded_runtime_and_no_problem_when_libtorch_ships_with_the_app()
    {
        var (code, output, _) = CliRunner.Run("doctor");

        code.Should().Be(0, output);
        output.Should().Contain("TorchSharp            0.107.0");
        output.Should().Contain("LibTorch              2.10.0");
        output.Should().Contain("no problem found");
        if (OperatingSystem.IsLinux())
        {
            output.Should().MatchRegex(@"loaded +\S*libtorch_cpu\.so", "the mapped files come from /proc/self/maps");
            output.Should().MatchRegex(@"highest GLIBCXX_3\.4\.\d+");
        }
    }

    [Fact]
    public void The_shadowing_check_finds_nothing_when_libtorch_cpu_sits_next_to_libLibTorchSharp()
    {
        NativeDoctor.ShadowingProblem().Should().BeNull();
    }
}
