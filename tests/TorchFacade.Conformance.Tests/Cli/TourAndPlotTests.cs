using FluentAssertions;
using TorchFacade.Cli;
using TorchFacade.Cli.Plotting;
using TorchFacade.Cli.Tour;
using TorchFacade.Conformance.Tests.Runner;
using Xunit;

namespace TorchFacade.Conformance.Tests.Cli;

/// <summary>The <c>tour</c> and <c>plot</c> commands' runners with snippets and picture families made for the test.</summary>
[Collection(LibTorchGlobalStateCollection.Name)]
public sealed class TourAndPlotTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "torchfacade-plot-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class Snippet(string name, Action<TextWriter> run, string? expected = null) : ITourSnippet
    {
        public string Name => name;

        public string PythonSource => $"examples/{name}/{name}.py";

        public string? ExpectedOutput => expected;

        public void Run(TextWriter output) => run(output);
    }

    private static readonly ITourSnippet[] Snippets =
    [
        new Snippet("ones", o => o.WriteLine(TorchSharp.torch.ones(2).sum().item<float>())),
        new Snippet("hello", o => o.WriteLine("hello")),
    ];

    [Fact]
    public void Tour_runs_every_snippet_under_a_header_naming_its_python_source()
    {
        var output = new StringWriter();
        int code = TourCommand.Tour(Snippets, [], listOnly: false, showPython: false, output, new StringWriter());
        code.Should().Be(ExitCodes.Success);
        output.ToString().Should().Contain("== ones (port of examples/ones/ones.py)").And.Contain("2").And.Contain("== hello").And.Contain("hello");
    }

    [Fact]
    public void Tour_runs_only_the_named_snippets_and_rejects_unknown_names()
    {
        var output = new StringWriter();
        TourCommand.Tour(Snippets, ["HELLO"], false, false, output, new StringWriter()).Should().Be(ExitCodes.Success);
        output.ToString().Should().Contain("== hello").And.NotContain("== ones");

        var error = new StringWriter();
        TourCommand.Tour(Snippets, ["nope"], false, false, new StringWriter(), error).Should().Be(ExitCodes.Usage);
        error.ToString().Should().Contain("unknown snippet(s) 'nope'").And.Contain("ones, hello");
    }

    [Fact]
    public void A_throwing_snippet_fails_the_tour_but_the_others_still_run()
    {
        ITourSnippet[] snippets = [new Snippet("boom", _ => throw new InvalidOperationException("bad\nbacktrace")), Snippets[1]];
        var output = new StringWriter();
        var error = new StringWriter();
        TourCommand.Tour(snippets, [], false, false, output, error).Should().Be(ExitCodes.Failure);
        error.ToString().Should().Contain("boom failed: InvalidOperationException: bad").And.NotContain("backtrace");
        output.ToString().Should().Contain("hello");
    }

    [Fact]
    public void Tour_checks_each_output_against_the_python_originals()
    {
        ITourSnippet[] snippets =
        [
            new Snippet("same", o => o.WriteLine("tensor([1., 2.])  "), expected: "tensor([1., 2.])\r\n"),
            new Snippet("different", o => o.WriteLine("tensor([1., 3.])"), expected: "tensor([1., 2.])\n"),
        ];
        var output = new StringWriter();
        var error = new StringWriter();
        TourCommand.Tour(snippets, [], false, false, output, error).Should().Be(ExitCodes.Failure);
        output.ToString().Should().Contain("== same").And.Contain("-- same output as the Python original");
        error.ToString().Should().Contain("different printed something else than the Python original").And.Contain("tensor([1., 2.])");
    }

    [Fact]
    public void The_registered_tour_runs_every_ported_example_with_the_python_output()
    {
        TourRegistry.All.Should().NotBeEmpty();
        TourRegistry.All.Select(s => s.Name).Should().OnlyHaveUniqueItems();
        TourRegistry.All.Should().OnlyContain(s => s.ReadPythonSource() != null, "every port carries its Python source");
        var (code, output, error) = CliRunner.Run("tour");
        code.Should().Be(ExitCodes.Success, error);
        foreach (ITourSnippet s in TourRegistry.All)
        {
            output.Should().Contain($"== {s.Name} (port of {s.PythonSource})");
        }
    }

    [Fact]
    public void Tour_list_and_empty_registry()
    {
        var output = new StringWriter();
        TourCommand.Tour(Snippets, [], listOnly: true, false, output, new StringWriter()).Should().Be(ExitCodes.Success);
        output.ToString().Should().Contain("ones\texamples/ones/ones.py");

        var error = new StringWriter();
        TourCommand.Tour([], [], false, false, new StringWriter(), error).Should().Be(ExitCodes.Failure);
        error.ToString().Should().Contain("no snippet is registered");
    }

    [Fact]
    public void Plot_draws_each_family_into_its_own_folder_and_reports_failures()
    {
        PlotEntry[] entries =
        [
            new("lines", "a test family", dir => File.WriteAllText(Path.Combine(dir, "a.png"), "png")),
            new("broken", "fails", _ => throw new IOException("no disk")),
        ];
        var output = new StringWriter();
        var error = new StringWriter();
        PlotCommand.Draw(entries, folder, null, output, error).Should().Be(ExitCodes.Failure);
        File.Exists(Path.Combine(folder, "lines", "a.png")).Should().BeTrue();
        output.ToString().Should().Contain("plot lines: 1 file(s) written");
        error.ToString().Should().Contain("broken failed: IOException: no disk");

        PlotCommand.Draw(entries, folder, "lines", new StringWriter(), new StringWriter()).Should().Be(ExitCodes.Success);
    }

    [Fact]
    public void Plot_with_an_unknown_family_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.Run("plot", "--only", "nonexistent-family");
        code.Should().Be(ExitCodes.Usage);
        error.Should().Contain("Unknown plot family 'nonexistent-family'");
    }
}
