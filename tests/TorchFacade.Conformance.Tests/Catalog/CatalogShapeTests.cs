using FluentAssertions;
using Xunit;

namespace TorchFacade.Conformance.Tests.Catalog;

/// <summary>The catalog's own rules: unique, well-formed ids; every claim stated; every tolerance justified; every device covered.</summary>
public sealed class CatalogShapeTests
{
    private static IReadOnlyList<ConformanceCase> All => Conformance.Catalog.All;

    [Fact]
    public void Ids_are_unique_sorted_and_name_their_device()
    {
        All.Should().NotBeEmpty();
        All.Select(c => c.Id).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(StringComparer.Ordinal);
        foreach (ConformanceCase c in All)
        {
            c.Id.Split('/').Should().Contain(c.Device, $"the id {c.Id} must name its device");
            c.Id.Should().NotContainAny([" ", "\t", "\\"], "ids are used in filters and file names");
        }
    }

    [Fact]
    public void Every_case_states_its_claim_comparison_and_tolerance_reason()
    {
        foreach (ConformanceCase c in All)
        {
            c.Claim.Should().NotBeNullOrWhiteSpace(c.Id);
            c.Compares.Should().NotBeNullOrWhiteSpace(c.Id);
            ConformanceDevices.All.Should().Contain(c.Device, c.Id);
            if (c.Tolerance is { } t)
            {
                t.Reason.Should().NotBeNullOrWhiteSpace($"{c.Id} must say why its tolerance is right");
                t.Rtol.Should().BeGreaterThanOrEqualTo(0, c.Id);
                t.Atol.Should().BeGreaterThanOrEqualTo(0, c.Id);
            }
        }
    }

    [Fact]
    public void Every_cpu_case_has_a_cuda_twin_except_devices_and_golden()
    {
        var ids = All.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        // Exempt: the devices group (CUDA vs CPU by construction) and golden files (ids name the device the golden
        // outputs came from as well as the device the reference runs on).
        var missing = All
            .Where(c => c.Device == "cpu" && c.Group is not CaseGroup.Devices and not CaseGroup.Golden)
            .Select(c => c.Id)
            .Where(id => !ids.Contains(string.Join('/', id.Split('/').Select(s => s == "cpu" ? "cuda" : s))))
            .ToList();
        missing.Should().BeEmpty("every case is generated for every device (docs/conformance.md); CUDA twins are skipped where CUDA is absent");
    }

    [Fact]
    public void Every_group_that_has_cases_has_a_name_the_cli_accepts()
    {
        foreach (CaseGroup g in All.Select(c => c.Group).Distinct())
        {
            CaseGroupNames.TryParse(CaseGroupNames.Of(g), out CaseGroup parsed).Should().BeTrue();
            parsed.Should().Be(g);
        }
    }

    [Fact]
    public void Cuda_cases_are_skipped_with_the_reason_where_cuda_is_unavailable()
    {
        if (Torch.Cuda.IsAvailable)
        {
            return; // with a GPU they run; nothing to check about skipping
        }

        var cuda = All.Where(c => c.Device == "cuda").Take(20).ToList();
        cuda.Should().NotBeEmpty();
        foreach (ConformanceCase c in cuda)
        {
            CaseResult r = CaseRunner.Run(c);
            r.Outcome.Should().Be(CaseOutcome.Skipped, c.Id);
            r.Message.Should().MatchRegex("no CUDA backend|no GPU", c.Id);
        }
    }
}
