using System.Diagnostics;

namespace TorchFacade.Conformance;

/// <summary>Runs a selection of cases one after the other and collects a <see cref="ConformanceReport"/>.</summary>
public static class SuiteRunner
{
    /// <summary>Runs <paramref name="cases"/> in order with <see cref="CaseRunner.Run"/>.</summary>
    /// <param name="cases">The cases (for example from <see cref="Catalog.Select(string?, string?, string?, CaseGroup?)"/>).</param>
    /// <param name="selection">Which cases these are, in words, recorded in the report.</param>
    /// <param name="onCaseDone">Called after each case with its line (for progress displays); may be <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cases"/> or <paramref name="selection"/> is <see langword="null"/>.</exception>
    /// <exception cref="NativeRuntimeUnavailableException">LibTorch cannot be loaded.</exception>
    public static ConformanceReport Run(IReadOnlyList<ConformanceCase> cases, string selection, Action<CaseReport>? onCaseDone = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(selection);
        RunEnvironment environment = RunEnvironment.Current();
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var lines = new List<CaseReport>(cases.Count);
        foreach (ConformanceCase @case in cases)
        {
            CaseReport line = CaseReport.From(@case, CaseRunner.Run(@case));
            lines.Add(line);
            onCaseDone?.Invoke(line);
        }

        return new ConformanceReport(lines, environment, selection, started, watch.Elapsed);
    }
}
