namespace TorchFacade.Conformance;

/// <summary>
/// The one builder of <see cref="ConformanceCase"/> values the case sources share: a case in one call, and one case per
/// device (<see cref="ConformanceDevices.All"/>) in one call, so that no source writes the initializer out again.
/// </summary>
internal static class CaseKit
{
    /// <summary>One case.</summary>
    /// <param name="group">The catalog group.</param>
    /// <param name="id">The case id.</param>
    /// <param name="device">The device name (<c>cpu</c> or <c>cuda</c>).</param>
    /// <param name="claim">The claim in words.</param>
    /// <param name="compares">What is compared with what.</param>
    /// <param name="run">The check.</param>
    /// <param name="dtype">The dtype, when the claim is about one.</param>
    /// <param name="tolerance">The tolerance, when values are compared.</param>
    /// <param name="skipWhen">The optional cheap precondition (see <see cref="ConformanceCase.SkipWhen"/>).</param>
    /// <returns>The case.</returns>
    internal static ConformanceCase Make(
        CaseGroup group, string id, string device, string claim, string compares, Func<CaseResult> run,
        torch.ScalarType? dtype = null, Tolerance? tolerance = null, Func<string?>? skipWhen = null) => new()
        {
            Id = id,
            Group = group,
            Claim = claim,
            Compares = compares,
            Device = device,
            DType = dtype,
            Tolerance = tolerance,
            SkipWhen = skipWhen,
            Run = run,
        };

    /// <summary>One case per device, the check given the TorchSharp device.</summary>
    /// <param name="group">The catalog group.</param>
    /// <param name="id">The case id of a device name.</param>
    /// <param name="claim">The claim in words.</param>
    /// <param name="compares">What is compared with what.</param>
    /// <param name="run">The check on a device.</param>
    /// <param name="dtype">The dtype, when the claim is about one.</param>
    /// <param name="tolerance">The tolerance, when values are compared.</param>
    /// <param name="skipWhen">The optional cheap precondition.</param>
    /// <returns>The cpu and cuda cases.</returns>
    internal static IEnumerable<ConformanceCase> PerDevice(
        CaseGroup group, Func<string, string> id, string claim, string compares, Func<torch.Device, CaseResult> run,
        torch.ScalarType? dtype = null, Tolerance? tolerance = null, Func<string?>? skipWhen = null) =>
        ConformanceDevices.All.Select(device =>
            Make(group, id(device), device, claim, compares, () => run(ConformanceDevices.Of(device)), dtype, tolerance, skipWhen));
}
