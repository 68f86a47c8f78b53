using FluentAssertions;
using Xunit;

namespace TorchFacade.Conformance.Tests.Report;

/// <summary>report.md: summary per group, failures with figures and inputs, skips grouped by reason, a row per case.</summary>
public sealed class MarkdownReportWriterTests
{
    private static readonly string Markdown = MarkdownReportWriter.ToMarkdown(ReportFixtures.Sample());

    [Fact]
    public void Summary_has_one_row_per_group_and_a_total()
    {
        Markdown.Should().Contain("| group | passed | failed | crashed | xfail | xpass | skipped | total | time |");
        Markdown.Should().Contain("| semantics | 1 | 0 | 0 | 0 | 0 | 0 | 1 |");
        Markdown.Should().Contain("| activations | 1 | 1 | 0 | 0 | 0 | 1 | 3 |");
        Markdown.Should().Contain("| **all** | **2** | **1** | **0** | **0** | **0** | **1** | **4** |");
        Markdown.Should().Contain("**FAILED** — 1 of 4 cases failed");
    }

    [Fact]
    public void Failures_show_claim_tolerance_figures_and_failing_inputs()
    {
        Markdown.Should().Contain("## Failures (1)");
        Markdown.Should().Contain("### `activation/gelu/float32/cpu/backward`");
        Markdown.Should().Contain("- **Tolerance:** rtol 1e-05, atol 1e-05 (a reason)");
        Markdown.Should().Contain("- **Figures:** max abs 0.5, max rel inf, max ulp NaN over 10 elements");
        Markdown.Should().Contain("[3] x=-0 → actual 0.5 vs expected 0");
    }

    [Fact]
    public void Skips_are_grouped_by_reason_and_list_their_ids()
    {
        Markdown.Should().Contain("## Skipped (1)");
        Markdown.Should().Contain("| skipped: no CUDA backend: CPU runtime | 1 |");
        Markdown.Should().Contain("- `activation/gelu/float32/cuda`");
    }

    [Fact]
    public void Table_cells_escape_pipes_and_newlines()
    {
        string row = Markdown.Split('\n').Single(l => l.StartsWith("| `activation/gelu/float32/cpu/backward`", StringComparison.Ordinal));
        row.Should().Contain("grad: 2 of 10 elements outside rtol").And.NotContain("second line");
        Markdown.Should().Contain("- **Claim:** gelu' \\| matches");
        Markdown.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).Should().HaveCount(4, "one row per case");
    }
}
