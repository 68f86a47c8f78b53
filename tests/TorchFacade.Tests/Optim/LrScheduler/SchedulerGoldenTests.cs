using FluentAssertions;
using TorchFacade.Conformance;
using Xunit;
using Xunit.Abstractions;

namespace TorchFacade.Tests.Optim.LrScheduler;

/// <summary>
/// Every scheduler configuration PyTorch 2.6 ran for tests/golden/schedulers.json (make_sched_golden.py) replays in C#:
/// lr and momentum of every group at every step within 1e-12 relative (float64), warnings, state dicts (keys, order,
/// Python types), resume from PyTorch's state dict, and PyTorch's errors for bad arguments.
/// </summary>
public class SchedulerGoldenTests(ITestOutputHelper output)
{
    private static IEnumerable<ConformanceCase> CpuCases => Catalog.Select(device: "cpu", group: CaseGroup.Schedulers);

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (ConformanceCase c in CpuCases)
        {
            data.Add(c.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Replays_PyTorch(string id)
    {
        ConformanceCase @case = Catalog.All.Single(c => c.Id == id);

        CaseResult result = CaseRunner.Run(@case);

        result.Outcome.Should().Be(CaseOutcome.Passed, $"{result.Message}\n{string.Join("\n", result.FailingInputs)}");
        if (result.Figures is { } f)
        {
            f.MaxRelError.Should().BeLessThanOrEqualTo(1e-12);
        }
    }

    [Fact]
    public void Every_trajectory_value_is_compared_and_the_worst_error_is_within_1e_12()
    {
        long compared = 0;
        double worst = 0;
        int configurations = 0;
        foreach (ConformanceCase c in CpuCases)
        {
            CaseResult r = CaseRunner.Run(c);
            r.Outcome.Should().Be(CaseOutcome.Passed, c.Id);
            if (r.Figures is { } f)
            {
                configurations++;
                compared += f.Elements;
                worst = Math.Max(worst, f.MaxRelError);
            }
        }

        output.WriteLine($"{configurations} trajectories, {compared} values compared (lr, last lr, momentum, state-dict floats), max relative error {worst:R}");
        configurations.Should().BeGreaterThanOrEqualTo(150);
        compared.Should().BeGreaterThan(20_000);
        worst.Should().BeLessThanOrEqualTo(1e-12);
    }

    [Fact]
    public void The_golden_file_covers_every_scheduler_with_at_least_150_configurations()
    {
        var ids = CpuCases.Select(c => c.Id).ToList();
        ids.Count(id => !id.Contains("/error-", StringComparison.Ordinal)).Should().BeGreaterThanOrEqualTo(150);
        foreach (string kind in new[]
                 {
                     "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR",
                     "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR", "SequentialLR", "ChainedScheduler", "ReduceLROnPlateau",
                 })
        {
            ids.Should().Contain(id => id.EndsWith($"-{kind}/cpu", StringComparison.Ordinal), kind);
            if (kind is not ("SequentialLR" or "ChainedScheduler"))
            {
                ids.Should().Contain($"schedulers/default-{kind}/cpu", $"{kind} also runs with PyTorch's defaults");
            }
        }
    }
}
