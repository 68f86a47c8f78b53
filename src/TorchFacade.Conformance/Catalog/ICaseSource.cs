namespace TorchFacade.Conformance;

/// <summary>
/// A producer of conformance cases. Every non-abstract implementation with a public parameterless constructor in
/// this assembly is picked up by <see cref="Catalog"/>: add a class, and its cases appear in the CLI and in xunit.
/// </summary>
public interface ICaseSource
{
    /// <summary>The cases, one per (claim, device, dtype). Enumerating must be cheap: do the work inside <see cref="ConformanceCase.Run"/>.</summary>
    /// <returns>The cases.</returns>
    IEnumerable<ConformanceCase> Cases();
}
