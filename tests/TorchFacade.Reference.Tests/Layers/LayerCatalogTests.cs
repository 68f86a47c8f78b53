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
    public void Layer_case_passes_or_is_a_known_divergence(string id)
    {
        ConformanceCase @case = Catalog.All.Single(c => c.Id == id);
        CaseResult result = CaseRunner.Run(@case);
        result.Outcome.Should().BeOneOf([CaseOutcome.Passed, CaseOutcome.ExpectedFailure], $"a known divergence (xfail) is not a failure; {@case.Claim}: {result.Message} {result.Figures} {string.Join("; ", result.FailingInputs)}");
    }

    [Fact]
    public void Every_layer_case_has_a_cuda_twin()
    {
        var layer = Catalog.Select(group: CaseGroup.Layers);
        layer.Should().HaveCountGreaterThan(100);
        layer.Should().OnlyContain(c => c.Id.StartsWith("layers/", StringComparison.Ordinal) && c.Id.Contains("/" + c.Device, StringComparison.Ordinal));
        var cpuIds = layer.Where(c => c.Device == "cpu").Select(c => c.Id.Replace("/cpu", "/cuda", StringComparison.Ordinal)).ToHashSet();
        layer.Where(c => c.Device == "cuda").Select(c => c.Id).Should().BeEquivalentTo(cpuIds);
    }

    [Fact]
    public void Cuda_layer_cases_are_skipped_with_a_reason_when_there_is_no_gpu()
    {
        if (Torch.Cuda.IsAvailable)
        {
            return;
        }

        ConformanceCase cuda = Catalog.Select(device: "cuda", group: CaseGroup.Layers).First();
        CaseResult result = CaseRunner.Run(cuda);
        result.Outcome.Should().Be(CaseOutcome.Skipped);
        result.Message.Should().NotBeNullOrWhiteSpace();
    }
}
