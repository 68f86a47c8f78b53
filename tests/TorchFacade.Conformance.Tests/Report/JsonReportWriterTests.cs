using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace TorchFacade.Conformance.Tests.Report;

/// <summary>report.json: valid JSON with the documented fields, non-finite figures as strings.</summary>
public sealed class JsonReportWriterTests
{
    private static JsonElement Root => JsonDocument.Parse(JsonReportWriter.ToJson(ReportFixtures.Sample())).RootElement;

    [Fact]
    public void Totals_and_groups_count_each_outcome()
    {
        JsonElement root = Root;
        root.GetProperty("schema").GetString().Should().Be(JsonReportWriter.Schema);
        JsonElement totals = root.GetProperty("totals");
        (totals.GetProperty("passed").GetInt32(), totals.GetProperty("failed").GetInt32(), totals.GetProperty("skipped").GetInt32(), totals.GetProperty("total").GetInt32())
            .Should().Be((2, 1, 1, 4));
        var groups = root.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("group").GetString(), g.GetProperty("passed").GetInt32(), g.GetProperty("failed").GetInt32(), g.GetProperty("skipped").GetInt32())).ToList();
        groups.Should().Equal(("semantics", 1, 0, 0), ("activations", 1, 1, 1));
        root.GetProperty("environment").GetProperty("cudaUnavailableReason").GetString().Should().Be("no CUDA backend: CPU runtime");
    }

    [Fact]
    public void Each_case_carries_outcome_figures_tolerance_and_failing_inputs()
    {
        JsonElement[] cases = Root.GetProperty("cases").EnumerateArray().ToArray();
        cases.Should().HaveCount(4);
        JsonElement pass = cases[0];
        pass.GetProperty("id").GetString().Should().Be("activation/gelu/float32/cpu");
        pass.GetProperty("group").GetString().Should().Be("activations");
        pass.GetProperty("device").GetString().Should().Be("cpu");
        pass.GetProperty("dtype").GetString().Should().Be("float32");
        pass.GetProperty("outcome").GetString().Should().Be("passed");
        pass.GetProperty("figures").GetProperty("maxAbsError").GetDouble().Should().Be(1.1920929e-7);
        pass.GetProperty("figures").GetProperty("maxUlp").GetDouble().Should().Be(1);
        pass.GetProperty("tolerance").GetProperty("rtol").GetDouble().Should().Be(1.3e-6);
        pass.GetProperty("tolerance").GetProperty("reason").GetString().Should().Be("assert_close default for float32");

        JsonElement fail = cases[1];
        fail.GetProperty("outcome").GetString().Should().Be("failed");
        fail.GetProperty("message").GetString().Should().Be("grad: 2 of 10 elements outside rtol\nsecond line");
        fail.GetProperty("figures").GetProperty("maxRelError").GetString().Should().Be("Infinity");
        fail.GetProperty("figures").GetProperty("maxUlp").GetString().Should().Be("NaN");
        fail.GetProperty("failingInputs").EnumerateArray().Select(e => e.GetString()).Should().Equal("[3] x=-0 → actual 0.5 vs expected 0", "[7] x=NaN → actual 1 vs expected NaN");

        cases[2].GetProperty("outcome").GetString().Should().Be("skipped");
        cases[2].GetProperty("figures").ValueKind.Should().Be(JsonValueKind.Null);
        cases[3].GetProperty("tolerance").ValueKind.Should().Be(JsonValueKind.Null);
        cases[3].GetProperty("dtype").GetString().Should().Be("any");
    }
}
