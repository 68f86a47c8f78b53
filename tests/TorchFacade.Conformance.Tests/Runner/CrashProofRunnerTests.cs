using System.Text.Json;
using FluentAssertions;
using TorchFacade.Conformance.Tests.Cli;
using TorchFacade.Conformance.Tests.Fixtures;
using Xunit;

namespace TorchFacade.Conformance.Tests.Runner;

/// <summary>
/// <c>torchfacade conform</c> runs cases in a worker process: a case that aborts the worker is reported as crashed with
/// its signal and native message, a fresh worker continues with the next case, and the run exits with 1.
/// </summary>
[Collection(LibTorchGlobalStateCollection.Name)]
public sealed class CrashProofRunnerTests
{
    private static readonly string FixtureAssembly = typeof(AbortingCaseSource).Assembly.Location;

    [Fact]
    public void An_aborting_case_is_reported_as_crashed_and_the_next_cases_still_run()
    {
        var (code, output, error) = CliRunner.Run("conform", "--cases-from", FixtureAssembly, "--filter", "fixture/crash", "--format", "json");

        code.Should().Be(1, "a crashed case fails the run; stderr: " + error);
        using var json = JsonDocument.Parse(output);
        JsonElement totals = json.RootElement.GetProperty("totals");
        totals.GetProperty("crashed").GetInt32().Should().Be(1);
        totals.GetProperty("passed").GetInt32().Should().Be(3, "the cases before and after the abort ran");
        totals.GetProperty("failed").GetInt32().Should().Be(0);

        JsonElement crashed = json.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("outcome").GetString() == "crashed");
        crashed.GetProperty("id").GetString().Should().Be("fixture/crash/2-abort/cpu");
        string message = crashed.GetProperty("message").GetString()!;
        message.Should().Contain(AbortingCaseSource.NativeMessage, "the native message's first line is reported");
        if (!OperatingSystem.IsWindows())
        {
            message.Should().Contain("signal 6 (SIGABRT)");
        }

        JsonElement after = json.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "fixture/crash/3-after/cpu");
        after.GetProperty("outcome").GetString().Should().Be("passed");
    }

    [Fact]
    public void The_table_has_a_crashed_column_and_counts_the_crash()
    {
        var (code, output, _) = CliRunner.Run("conform", "--cases-from", FixtureAssembly, "--filter", "fixture/crash");

        code.Should().Be(1);
        output.Should().Contain("crashed");
        output.Should().Contain("CRASHED fixture/crash/2-abort/cpu");
        output.Should().Contain("3 passed, 0 failed, 1 crashed, 0 xfail, 0 xpass, 0 skipped");
    }

    [Fact]
    public void The_shipped_catalog_has_no_fixture_case()
    {
        Conformance.Catalog.All.Should().NotContain(c => c.Id.StartsWith("fixture/", StringComparison.Ordinal));
    }
}
