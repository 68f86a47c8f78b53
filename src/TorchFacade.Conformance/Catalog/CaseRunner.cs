using System.Diagnostics;
using TorchSharp;

namespace TorchFacade.Conformance;

/// <summary>Runs conformance cases: skips unavailable devices, frees every tensor a case made, turns exceptions into failures.</summary>
public static class CaseRunner
{
    /// <summary>Runs one case.</summary>
    /// <param name="case">The case.</param>
    /// <returns>Its result, with the time it took.</returns>
    public static CaseResult Run(ConformanceCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        if (ConformanceDevices.SkipReason(@case.Device) is { } reason)
        {
            return CaseResult.Skip(reason);
        }

        var watch = Stopwatch.StartNew();
        CaseResult result;
        try
        {
            using var scope = torch.NewDisposeScope();
            result = @case.Run();
        }
        catch (Exception ex)
        {
            result = CaseResult.Fail($"threw {ex.GetType().Name}: {FirstLine(ex.Message)}");
        }

        return result with { Elapsed = watch.Elapsed };
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline].TrimEnd();
    }
}
