using System.Diagnostics;

namespace TorchFacade.Conformance;

/// <summary>Runs conformance cases: skips unavailable devices, frees every tensor a case made, turns exceptions into failures, and applies the known-divergences manifest (xfail / XPASS).</summary>
public static class CaseRunner
{
    /// <summary>Runs one case.</summary>
    /// <param name="case">The case.</param>
    /// <returns>Its result, with the time it took.</returns>
    public static CaseResult Run(ConformanceCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        var watch = Stopwatch.StartNew();
        CaseResult result;
        try
        {
            if (SkipReason(@case) is { } reason)
            {
                return CaseResult.Skip(reason);
            }

            using var scope = torch.NewDisposeScope();
            result = @case.Run();
        }
        catch (Exception ex)
        {
            result = CaseResult.Fail($"threw {ex.GetType().Name}: {FirstLine(ex.Message)}");
        }

        return KnownDivergences.Current.Apply(@case.Id, result) with { Elapsed = watch.Elapsed };
    }

    /// <summary>
    /// Why <paramref name="case"/> cannot run here, without running it: its device is unavailable, or its
    /// <see cref="ConformanceCase.SkipWhen"/> precondition says so. <see langword="null"/> when it can run.
    /// </summary>
    /// <param name="case">The case.</param>
    /// <returns>The skip reason, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="case"/> is <see langword="null"/>.</exception>
    public static string? SkipReason(ConformanceCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return ConformanceDevices.SkipReason(@case.Device) ?? @case.SkipWhen?.Invoke();
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline].TrimEnd();
    }
}
