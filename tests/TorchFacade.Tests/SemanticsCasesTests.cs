using FluentAssertions;
using TorchFacade.Conformance;
using Xunit;

namespace TorchFacade.Tests;

/// <summary>The facade core's conformance cases (semantics/memory, autograd, devices, grad-mode) pass on CPU and report CUDA as skipped where it is absent.</summary>
public class SemanticsCasesTests
{
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in Catalog.All.Where(IsFacadeCore))
        {
            data.Add(c.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void CaseHolds(string id)
    {
        var @case = Catalog.All.Single(c => c.Id == id);

        var result = CaseRunner.Run(@case);

        if (@case.Device == "cuda" && !Torch.Cuda.IsAvailable)
        {
            result.Outcome.Should().Be(CaseOutcome.Skipped);
            result.Message.Should().Contain(Torch.Cuda.UnavailableReason!);
            return;
        }

        result.Outcome.Should().NotBe(CaseOutcome.Failed, result.Message);
    }

    [Fact]
    public void EveryAreaHasCasesForBothDevices()
    {
        var ids = Catalog.All.Where(IsFacadeCore).Select(c => c.Id).ToList();
        foreach (string area in new[] { "memory", "autograd", "devices", "grad-mode" })
        {
            ids.Should().Contain(id => id.StartsWith($"semantics/{area}/", StringComparison.Ordinal) && id.EndsWith("/cpu", StringComparison.Ordinal));
            ids.Should().Contain(id => id.StartsWith($"semantics/{area}/", StringComparison.Ordinal) && id.EndsWith("/cuda", StringComparison.Ordinal));
        }

        ids.Should().Contain("semantics/memory/view-shares-storage/cpu").And.Contain("semantics/autograd/worked-example-grad-4.5/cpu");
    }

    private static bool IsFacadeCore(ConformanceCase c) =>
        c.Id.StartsWith("semantics/memory/", StringComparison.Ordinal)
        || c.Id.StartsWith("semantics/autograd/", StringComparison.Ordinal)
        || c.Id.StartsWith("semantics/devices/", StringComparison.Ordinal)
        || c.Id.StartsWith("semantics/grad-mode/", StringComparison.Ordinal);
}
