using System.Text;
using FluentAssertions;
using TorchFacade.Conformance.Tests.Runner;
using Xunit;
using Xunit.Abstractions;

namespace TorchFacade.Conformance.Tests.Catalog;

/// <summary>
/// The whole conformance catalog under xunit: one test per case id (the same cases <c>torchfacade conform</c> runs).
/// A case that cannot run here (for example a CUDA case without a GPU) is reported as skipped with its reason.
/// </summary>
[Collection(LibTorchGlobalStateCollection.Name)]
public sealed class CatalogCaseTests(ITestOutputHelper output)
{
    private static readonly Lazy<Dictionary<string, ConformanceCase>> ById =
        new(() => Conformance.Catalog.All.ToDictionary(c => c.Id, StringComparer.Ordinal));

    /// <summary>Every case id of <see cref="Conformance.Catalog.All"/>.</summary>
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (ConformanceCase c in Conformance.Catalog.All)
        {
            data.Add(c.Id);
        }

        return data;
    }

    [ConformanceTheory]
    [MemberData(nameof(CaseIds))]
    public void Case(string id)
    {
        ById.Value.Should().ContainKey(id, "the catalog must produce the same ids at discovery and at run time");
        ConformanceCase @case = ById.Value[id];
        CaseResult result = CaseRunner.Run(@case);
        switch (result.Outcome)
        {
            case CaseOutcome.Skipped:
                throw new CaseSkippedException(result.Message ?? "skipped");
            case CaseOutcome.Passed:
                output.WriteLine($"{@case.Claim} — {ReportText.Figures(result.Figures)}; tolerance {ReportText.Tolerance(@case.Tolerance)}");
                break;
            case CaseOutcome.ExpectedFailure:
                // A known divergence of TorchSharp from PyTorch, failing as the manifest records: not a test failure.
                output.WriteLine(result.Message);
                break;
            default:
                throw new Xunit.Sdk.XunitException(Describe(@case, result));
        }
    }

    private static string Describe(ConformanceCase @case, CaseResult result)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{@case.Id} should hold: {@case.Claim} ({@case.Compares})");
        sb.AppendLine($"  {result.Message}");
        sb.AppendLine($"  figures: {ReportText.Figures(result.Figures)}");
        if (@case.Tolerance is { } t)
        {
            sb.AppendLine($"  tolerance: {ReportText.Tolerance(t)} ({t.Reason})");
        }

        foreach (string input in result.FailingInputs)
        {
            sb.AppendLine("  " + input);
        }

        return sb.ToString();
    }
}
