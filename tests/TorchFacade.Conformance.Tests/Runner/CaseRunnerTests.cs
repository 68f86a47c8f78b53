using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Conformance.Tests.Runner;

/// <summary><see cref="CaseRunner"/>: exceptions become failures, preconditions become skips, tensors are freed.</summary>
public sealed class CaseRunnerTests
{
    private static ConformanceCase Make(Func<CaseResult> run, string device = "cpu", Func<string?>? skipWhen = null) => new()
    {
        Id = "test/runner/" + device,
        Group = CaseGroup.Semantics,
        Claim = "a test case",
        Compares = "nothing",
        Device = device,
        SkipWhen = skipWhen,
        Run = run,
    };

    [Fact]
    public void An_exception_becomes_a_failure_with_its_type_and_first_line()
    {
        CaseResult r = CaseRunner.Run(Make(() => throw new InvalidOperationException("first line\nC++ backtrace ...")));
        r.Outcome.Should().Be(CaseOutcome.Failed);
        r.Message.Should().Be("threw InvalidOperationException: first line");
    }

    [Fact]
    public void A_failing_precondition_skips_without_running()
    {
        bool ran = false;
        CaseResult r = CaseRunner.Run(Make(() => { ran = true; return CaseResult.Pass(); }, skipWhen: () => "no golden files: run tests/golden/make_golden.py"));
        r.Outcome.Should().Be(CaseOutcome.Skipped);
        r.Message.Should().Be("no golden files: run tests/golden/make_golden.py");
        ran.Should().BeFalse();
        CaseRunner.SkipReason(Make(() => CaseResult.Pass(), skipWhen: () => null)).Should().BeNull();
    }

    [Fact]
    public void A_throwing_precondition_is_a_failure_not_a_crash()
    {
        CaseResult r = CaseRunner.Run(Make(() => CaseResult.Pass(), skipWhen: () => throw new IOException("disk gone")));
        r.Outcome.Should().Be(CaseOutcome.Failed);
        r.Message.Should().Contain("disk gone");
    }

    [Fact]
    public void Tensors_made_by_a_case_are_disposed_when_it_ends()
    {
        torch.Tensor? made = null;
        CaseRunner.Run(Make(() =>
        {
            made = torch.ones(4);
            return CaseResult.Pass();
        })).Outcome.Should().Be(CaseOutcome.Passed);
        made!.IsInvalid.Should().BeTrue("the runner's dispose scope frees what the case made");
    }

    [Fact]
    public void The_suite_runner_reports_every_case_in_order_with_counts_per_group()
    {
        var lines = new List<string>();
        ConformanceReport report = SuiteRunner.Run(
            [
                new ConformanceCase { Id = "a/pass/cpu", Group = CaseGroup.Semantics, Claim = "c", Compares = "x", Run = () => CaseResult.Pass() },
                new ConformanceCase { Id = "b/fail/cpu", Group = CaseGroup.Layers, Claim = "c", Compares = "x", Run = () => CaseResult.Fail("no") },
                new ConformanceCase { Id = "c/skip/cuda", Group = CaseGroup.Layers, Claim = "c", Compares = "x", Device = "cuda", SkipWhen = () => "why not", Run = () => CaseResult.Pass() },
            ],
            "three cases",
            line => lines.Add(line.Id));
        lines.Should().Equal("a/pass/cpu", "b/fail/cpu", "c/skip/cuda");
        report.Total.Should().Be(3);
        report.HasFailures.Should().BeTrue();
        report.Groups.Select(g => (g.Group, g.Passed, g.Failed, g.Skipped)).Should().Equal(
            (CaseGroup.Semantics, 1, 0, 0),
            (CaseGroup.Layers, 0, 1, 1));
        report.SkipReasons.Should().ContainSingle().Which.Ids.Should().Equal("c/skip/cuda");
        report.Environment.LibTorchVersion.Should().NotBeNullOrWhiteSpace();
    }
}
