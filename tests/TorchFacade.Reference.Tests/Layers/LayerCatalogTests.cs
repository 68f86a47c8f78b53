using FluentAssertions;
using TorchFacade.Conformance;
using Xunit;

namespace TorchFacade.Reference.Tests.Layers;

/// <summary>Runs every CPU case of the Layers group of the conformance catalog (the same cases the CLI runs).</summary>
public sealed class LayerCatalogTests
{
    public static TheoryData<string> CpuLayerCaseIds()
    {
        var data = new TheoryData<string>();
        foreach (ConformanceCase c in Catalog.Select(device: "cpu", group: CaseGroup.Layers))
        {
            data.Add(c.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CpuLayerCaseIds))]
    public void Layer_case_passes(string id)
    {
        ConformanceCase @case = Catalog.All.Single(c => c.Id == id);
        CaseResult result = CaseRunner.Run(@case);
        result.Outcome.Should().Be(CaseOutcome.Passed, $"{@case.Claim}: {result.Message} {result.Figures} {string.Join("; ", result.FailingInputs)}");
    }

    [Fact]
    public void Every_layer_case_exists_for_cpu_and_cuda()
    {
        var layer = Catalog.Select(group: CaseGroup.Layers);
        layer.Should().NotBeEmpty();
        layer.Count(c => c.Device == "cuda").Should().Be(layer.Count(c => c.Device == "cpu"));
        layer.Should().OnlyContain(c => c.Id.StartsWith("layers/", StringComparison.Ordinal));
    }
}
