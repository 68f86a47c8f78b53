using FluentAssertions;
using TorchFacade.Cli;
using Xunit;

namespace TorchFacade.Conformance.Tests.Cli;

/// <summary>Bad command lines: usage on standard error and exit code 2, never a crash.</summary>
public sealed class CliArgumentTests
{
    [Theory]
    [InlineData(new[] { "conform", "--bogus" }, "--bogus")]
    [InlineData(new[] { "conform", "--device", "tpu" }, "Unknown device 'tpu'")]
    [InlineData(new[] { "conform", "--device", "cuda:7" }, "Unknown device 'cuda:7'")]
    [InlineData(new[] { "conform", "--dtype", "float8" }, "Unknown dtype 'float8'")]
    [InlineData(new[] { "conform", "--group", "gpu" }, "Unknown group 'gpu'")]
    [InlineData(new[] { "conform", "--format", "xml" }, "xml")]
    [InlineData(new[] { "conform", "--device" }, "--device")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public void Bad_arguments_print_the_error_and_usage_and_exit_2(string[] args, string mentioned)
    {
        var (code, output, error) = CliRunner.Run(args);
        code.Should().Be(ExitCodes.Usage);
        error.Should().Contain(mentioned).And.Contain("Usage:");
        output.Should().BeEmpty();
    }

    [Fact]
    public void No_command_prints_usage_with_the_commands_and_exits_2()
    {
        var (code, _, error) = CliRunner.Run();
        code.Should().Be(ExitCodes.Usage);
        error.Should().Contain("conform").And.Contain("plot").And.Contain("tour").And.Contain("Usage:");
    }

    [Fact]
    public void Help_exits_0_and_lists_the_options()
    {
        var (code, output, _) = CliRunner.Run("conform", "--help");
        code.Should().Be(ExitCodes.Success);
        output.Should().Contain("--filter").And.Contain("--device").And.Contain("--dtype").And.Contain("--format").And.Contain("--out");
    }

    [Fact]
    public void A_filter_matching_nothing_says_so_and_exits_2()
    {
        var (code, output, error) = CliRunner.Run("conform", "--filter", "no-such-case-anywhere");
        code.Should().Be(ExitCodes.Usage);
        error.Should().Contain("no case matches filter 'no-such-case-anywhere'");
        output.Should().BeEmpty();
    }

    [Fact]
    public void Dtype_aliases_are_accepted()
    {
        var (code, output, _) = CliRunner.Run("conform", "--list", "--dtype", "double", "--filter", "semantics/basics", "--device", "CPU");
        code.Should().Be(ExitCodes.Success);
        output.Should().Contain("semantics/basics/worked-example-grad/float64/cpu").And.NotContain("float32");
    }
}
