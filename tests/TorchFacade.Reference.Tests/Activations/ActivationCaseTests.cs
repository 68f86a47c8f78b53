using FluentAssertions;
using TorchFacade.Conformance;
using Xunit;
using Xunit.Abstractions;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>
/// Runs the activation group's CPU float32 cases of the conformance catalog (the whole group, every dtype, runs in
/// TorchFacade.Conformance.Tests and <c>torchfacade conform</c>), printing each case's figures.
/// </summary>
public sealed class ActivationCaseTests(ITestOutputHelper output)
{
    [Fact]
    public void Float32CpuActivationCasesPass()
    {
        var cases = Catalog.Select("activation/", device: "cpu", dtype: Environment.GetEnvironmentVariable("ACTIVATION_CASE_DTYPE") ?? "float32");
        cases.Should().NotBeEmpty();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var r = CaseRunner.Run(c);
            output.WriteLine($"{r.Outcome,-8} {c.Id}: {r.Figures} {r.Message} {string.Join("; ", r.FailingInputs)} ({r.Elapsed.TotalMilliseconds:0} ms)");
            if (r.Outcome == CaseOutcome.Failed)
            {
                failures.Add($"{c.Id}: {r.Message} {string.Join("; ", r.FailingInputs)}");
            }
        }

        failures.Should().BeEmpty();
    }
}
