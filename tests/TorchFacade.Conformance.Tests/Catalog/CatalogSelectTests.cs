using FluentAssertions;
using Xunit;

namespace TorchFacade.Conformance.Tests.Catalog;

/// <summary><see cref="Conformance.Catalog.Matches"/> and <see cref="Conformance.Catalog.Select(string?, string?, string?, CaseGroup?)"/>: what --filter, --device, --dtype and --group select.</summary>
public sealed class CatalogSelectTests
{
    [Theory]
    [InlineData("activation/gelu-tanh/float32/cpu/backward", "gelu", true)]
    [InlineData("activation/gelu-tanh/float32/cpu/backward", "GELU-TANH", true)]
    [InlineData("activation/gelu-tanh/float32/cpu/backward", "relu", false)]
    [InlineData("activation/gelu-tanh/float32/cpu/backward", "activation/*/float32/cpu/*", true)]
    [InlineData("activation/gelu-tanh/float32/cpu/backward", "activation/*/float64/*", false)]
    [InlineData("activation/gelu-tanh/float32/cpu/backward", "*backward", true)]
    [InlineData("activation/gelu-tanh/float32/cpu/backward", "gelu*", false)]
    [InlineData("semantics/basics/view-shares-storage/cpu", null, true)]
    [InlineData("semantics/basics/view-shares-storage/cpu", "  ", true)]
    public void Matches_takes_a_substring_or_a_whole_id_glob(string id, string? filter, bool expected) =>
        Conformance.Catalog.Matches(id, filter).Should().Be(expected);

    [Fact]
    public void Select_filters_by_device_dtype_and_group()
    {
        var cpu64 = Conformance.Catalog.Select(device: "cpu", dtype: "float64", group: CaseGroup.Semantics);
        cpu64.Should().NotBeEmpty();
        cpu64.Should().OnlyContain(c => c.Device == "cpu" && c.DTypeName == "float64" && c.Group == CaseGroup.Semantics);

        var devices = Conformance.Catalog.Select(group: CaseGroup.Devices);
        devices.Should().NotBeEmpty().And.OnlyContain(c => c.Group == CaseGroup.Devices && c.Device == "cuda");

        Conformance.Catalog.Select(filter: "no-such-case-anywhere").Should().BeEmpty();
    }

    [Theory]
    [InlineData("semantics", CaseGroup.Semantics)]
    [InlineData("Activations", CaseGroup.Activations)]
    [InlineData("activation", CaseGroup.Activations)]
    [InlineData("device", CaseGroup.Devices)]
    [InlineData("golden", CaseGroup.Golden)]
    public void Group_names_parse_case_insensitively_and_in_the_singular(string name, CaseGroup expected)
    {
        CaseGroupNames.TryParse(name, out CaseGroup g).Should().BeTrue();
        g.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("gpu")]
    [InlineData(null)]
    public void Unknown_group_names_do_not_parse(string? name) =>
        CaseGroupNames.TryParse(name, out _).Should().BeFalse();
}
