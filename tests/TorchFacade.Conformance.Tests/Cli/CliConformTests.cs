using System.Text.Json;
using FluentAssertions;
using TorchFacade.Cli;
using TorchFacade.Conformance.Tests.Runner;
using Xunit;

namespace TorchFacade.Conformance.Tests.Cli;

/// <summary><c>torchfacade conform</c> end to end, in-process, on the small basic-semantics selection.</summary>
[Collection(LibTorchGlobalStateCollection.Name)]
public sealed class CliConformTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "torchfacade-cli-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Out_writes_a_markdown_and_a_well_formed_json_report()
    {
        var (code, output, _) = CliRunner.Run("conform", "--filter", "semantics/basics", "--out", folder);
        code.Should().Be(ExitCodes.Success, output);
        output.Should().Contain("semantics").And.Contain("report: ");

        string md = File.ReadAllText(Path.Combine(folder, "report.md"));
        md.Should().StartWith("# TorchFacade conformance report").And.Contain("## Summary").And.Contain("filter 'semantics/basics'");

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        JsonElement root = json.RootElement;
        int total = root.GetProperty("totals").GetProperty("total").GetInt32();
        total.Should().Be(TorchFacade.Conformance.Catalog.Select("semantics/basics").Count);
        root.GetProperty("cases").GetArrayLength().Should().Be(total);
        root.GetProperty("totals").GetProperty("failed").GetInt32().Should().Be(0);
        foreach (JsonElement c in root.GetProperty("cases").EnumerateArray())
        {
            c.GetProperty("id").GetString().Should().StartWith("semantics/basics/");
            c.GetProperty("outcome").GetString().Should().BeOneOf("passed", "skipped");
        }
    }

    [Fact]
    public void Table_lists_groups_and_skip_reasons()
    {
        var (code, output, _) = CliRunner.Run("conform", "--group", "devices");
        code.Should().Be(ExitCodes.Success);
        output.Should().Contain("devices").And.Contain("conform: passed");
        if (!Torch.Cuda.IsAvailable)
        {
            output.Should().Contain("no CUDA backend").And.Contain("devices/add/float32/cuda");
        }
    }

    [Fact]
    public void Json_format_prints_only_json_on_standard_output()
    {
        var (code, output, error) = CliRunner.Run("conform", "--filter", "semantics/basics/view-shares-storage", "--format", "json");
        code.Should().Be(ExitCodes.Success);
        using JsonDocument json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("cases").GetArrayLength().Should().Be(2, "one case on cpu and one on cuda");
        error.Should().Contain("conform: running 2 cases");
    }

    [Fact]
    public void Md_format_prints_the_markdown_report()
    {
        var (code, output, _) = CliRunner.Run("conform", "--filter", "semantics/basics/view-shares-storage", "--device", "cpu", "--format", "md");
        code.Should().Be(ExitCodes.Success);
        output.Should().StartWith("# TorchFacade conformance report").And.Contain("`semantics/basics/view-shares-storage/cpu` | passed");
    }

    [Fact]
    public void The_interactive_progress_bar_path_runs_and_ends_with_the_summary()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = CliApp.Run(["conform", "--filter", "semantics/basics", "--device", "cpu"], output, error, new TerminalMode(Interactive: true));
        code.Should().Be(ExitCodes.Success, error.ToString());
        output.ToString().Should().Contain("semantics").And.Contain("passed");
        output.ToString().Should().NotContain("conform: running", "the plain progress lines are for logs only");
    }

    [Fact]
    public void An_unwritable_out_folder_is_reported_not_thrown()
    {
        string file = Path.Combine(folder, "a-file");
        Directory.CreateDirectory(folder);
        File.WriteAllText(file, "x");
        var (code, _, error) = CliRunner.Run("conform", "--filter", "semantics/basics/view-shares-storage", "--device", "cpu", "--out", file);
        code.Should().Be(ExitCodes.Failure);
        error.Should().Contain("cannot write the report");
    }
}
