namespace TorchFacade.Conformance;

/// <summary>
/// Builds the semantics cases of the facade core (memory, devices, autograd, grad modes) once per device in
/// <see cref="ConformanceDevices.All"/>, with ids <c>semantics/&lt;area&gt;/&lt;claim&gt;/&lt;device&gt;</c>.
/// </summary>
internal static class SemanticsCase
{
    /// <summary>What the facade cases compare.</summary>
    internal const string FacadeVsPyTorch = "facade on LibTorch vs PyTorch's documented behaviour";

    /// <summary>What the value cases compare.</summary>
    internal const string LibTorchVsHandDerived = "LibTorch through the facade vs values derived by hand in double";

    /// <summary>One case per device.</summary>
    /// <param name="area">The area: <c>memory</c>, <c>devices</c>, <c>autograd</c>, <c>grad-mode</c>.</param>
    /// <param name="name">The claim's short name.</param>
    /// <param name="claim">The claim in words.</param>
    /// <param name="compares">What is compared with what.</param>
    /// <param name="run">The check, given the device to run on.</param>
    /// <param name="dtype">The dtype, when the claim is about values.</param>
    /// <param name="tolerance">The tolerance, when values are compared.</param>
    /// <returns>The cases.</returns>
    internal static IEnumerable<ConformanceCase> PerDevice(
        string area, string name, string claim, string compares, Func<torch.Device, CaseResult> run,
        torch.ScalarType? dtype = null, Tolerance? tolerance = null) =>
        CaseKit.PerDevice(CaseGroup.Semantics, device => $"semantics/{area}/{name}/{device}", claim, compares, run, dtype, tolerance);

    /// <summary>Passes when <paramref name="act"/> throws <typeparamref name="TException"/> whose message contains every fragment.</summary>
    /// <typeparam name="TException">The exception type the facade promises.</typeparam>
    /// <param name="act">The bad call.</param>
    /// <param name="fragments">Text the message must contain.</param>
    /// <returns>The result.</returns>
    internal static CaseResult Throws<TException>(Action act, params string[] fragments)
        where TException : Exception
    {
        try
        {
            act();
        }
        catch (TException ex)
        {
            string? missing = fragments.FirstOrDefault(f => !ex.Message.Contains(f, StringComparison.Ordinal));
            return missing is null
                ? CaseResult.Pass(note: typeof(TException).Name + ": " + FirstSentence(ex.Message))
                : CaseResult.Fail($"{typeof(TException).Name} was thrown but its message lacks '{missing}': {ex.Message}");
        }
        catch (Exception ex)
        {
            return CaseResult.Fail($"expected {typeof(TException).Name}, got {ex.GetType().Name}: {ex.Message}");
        }

        return CaseResult.Fail($"expected {typeof(TException).Name}, but the call succeeded");
    }

    /// <summary>Combines checks: the first failure wins, else a pass.</summary>
    /// <param name="results">The partial results.</param>
    /// <returns>The combined result.</returns>
    internal static CaseResult All(params CaseResult[] results) =>
        results.FirstOrDefault(r => r.Outcome != CaseOutcome.Passed) ?? results.LastOrDefault(r => r.Figures is not null) ?? CaseResult.Pass();

    /// <summary>The tensor's values as doubles (any device).</summary>
    /// <param name="t">The tensor.</param>
    /// <returns>The values.</returns>
    internal static double[] Values(torch.Tensor t) => Compare.ToDoubles(t);

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
