using System.Text.Json;
using FluentAssertions;
using TorchFacade.Conformance.Tests.Cli;
using TorchFacade.Conformance.Tests.Fixtures;
using Xunit;

namespace TorchFacade.Conformance.Tests.Runner;

/// <summary>
/// The known-divergences manifest: keyed by TorchSharp version (the newest key not newer than the loaded TorchSharp),
/// a listed case that fails as recorded is xfail, one that passes is XPASS (a failure of the run), one that fails
/// otherwise stays a failure; the reports count xfail and xpass.
/// </summary>
[Collection(LibTorchGlobalStateCollection.Name)]
public sealed class KnownDivergencesTests
{
    private static readonly string FixtureManifest = Path.Combine(AppContext.BaseDirectory, "Fixtures", "known-divergences.fixture.json");

    private static KnownDivergences Fixture(string version) => KnownDivergences.Parse(File.ReadAllText(FixtureManifest), Version.Parse(version));

    [Fact]
    public void The_entries_of_the_newest_version_not_newer_than_torchsharp_apply()
    {
        Fixture("0.107.0").Key.Should().Be(new Version(0, 107, 0));
        Fixture("0.108.2").Key.Should().Be(new Version(0, 107, 0), "after an upgrade the recorded divergences are still expected until the manifest records the new version");
        Fixture("0.105.0").Key.Should().Be(new Version(0, 100, 0));
        Fixture("0.105.0").Find("fixture/divergence/1-still-diverges/cpu").Should().BeNull();
        Fixture("0.99.0").Entries.Should().BeEmpty();
    }

    [Fact]
    public void A_failure_as_recorded_is_xfail_a_pass_is_xpass_and_another_failure_stays_a_failure()
    {
        KnownDivergences manifest = Fixture("0.107.0");
        var cases = new DivergenceCaseSource().Cases().ToDictionary(c => c.Id);
        CaseResult Run(string id) => manifest.Apply(id, CaseRunner.Run(cases[id]));

        CaseResult xfail = Run("fixture/divergence/1-still-diverges/cpu");
        xfail.Outcome.Should().Be(CaseOutcome.ExpectedFailure);
        xfail.Message.Should().Contain("a fixture divergence").And.Contain(DivergenceCaseSource.StillDiverges);

        CaseResult xpass = Run("fixture/divergence/2-fixed/cpu");
        xpass.Outcome.Should().Be(CaseOutcome.UnexpectedPass, "the fixed behaviour really matches PyTorch");
        xpass.Message.Should().StartWith("XPASS").And.Contain("known-divergences.json");

        CaseResult other = Run("fixture/divergence/3-fails-otherwise/cpu");
        other.Outcome.Should().Be(CaseOutcome.Failed);
        other.Message.Should().Contain("fails otherwise");

        Run("fixture/divergence/4-unlisted/cpu").Outcome.Should().Be(CaseOutcome.Passed);
    }

    [Fact]
    public void The_reports_count_xfail_and_xpass_and_xpass_fails_the_run()
    {
        KnownDivergences manifest = Fixture("0.107.0");
        var lines = new DivergenceCaseSource().Cases().Select(c => CaseReport.From(c, manifest.Apply(c.Id, CaseRunner.Run(c)))).ToList();
        var report = new ConformanceReport(lines, RunEnvironment.Current(), "fixture", DateTimeOffset.UtcNow, TimeSpan.Zero);

        report.ExpectedFailures.Should().Be(1);
        report.UnexpectedPasses.Should().Be(1);
        report.Failed.Should().Be(1);
        report.Groups.Single().Total.Should().Be(4);
        report.HasFailures.Should().BeTrue();
        report.Failures.Select(f => f.Id).Should().Contain("fixture/divergence/2-fixed/cpu");

        using var json = JsonDocument.Parse(JsonReportWriter.ToJson(report));
        json.RootElement.GetProperty("totals").GetProperty("xfail").GetInt32().Should().Be(1);
        json.RootElement.GetProperty("totals").GetProperty("xpass").GetInt32().Should().Be(1);
        var md = new StringWriter();
        MarkdownReportWriter.Write(report, md);
        md.ToString().Should().Contain("| xfail | xpass |").And.Contain("**XPASS**");
    }

    [Fact]
    public void The_cli_shows_xfail_and_xpass_columns_and_exits_with_1_on_xpass()
    {
        _ = KnownDivergences.Current.Entries; // this process keeps the embedded manifest; the worker reads the fixture's
        string? before = Environment.GetEnvironmentVariable(KnownDivergences.ManifestVariable);
        Environment.SetEnvironmentVariable(KnownDivergences.ManifestVariable, FixtureManifest);
        try
        {
            var (code, output, error) = CliRunner.Run("conform", "--cases-from", typeof(DivergenceCaseSource).Assembly.Location, "--filter", "fixture/divergence/");
            code.Should().Be(1, "an XPASS fails the run; stderr: " + error);
            output.Should().Contain("xfail").And.Contain("xpass");
            output.Should().Contain("XPASS fixture/divergence/2-fixed/cpu");
            output.Should().Contain("1 passed, 1 failed, 0 crashed, 1 xfail, 1 xpass, 0 skipped");
        }
        finally
        {
            Environment.SetEnvironmentVariable(KnownDivergences.ManifestVariable, before);
        }
    }

    [Fact]
    public void Every_entry_of_the_shipped_manifest_names_catalog_cases_and_states_the_divergence()
    {
        KnownDivergences shipped = KnownDivergences.Current;
        shipped.Key.Should().NotBeNull("the manifest records the TorchSharp version in use ({0})", shipped.TorchSharpVersion);
        foreach (KnownDivergence entry in shipped.Entries)
        {
            Conformance.Catalog.All.Should().Contain(c => entry.Case.Contains('*') ? Conformance.Catalog.Matches(c.Id, entry.Case) : c.Id == entry.Case, entry.Case);
            new[] { entry.What, entry.PyTorch, entry.TorchSharp, entry.Workaround }.Should().OnlyContain(s => !string.IsNullOrWhiteSpace(s), entry.Case);
        }
    }
}
