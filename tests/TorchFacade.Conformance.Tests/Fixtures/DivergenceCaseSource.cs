using TorchSharp;

namespace TorchFacade.Conformance.Tests.Fixtures;

/// <summary>
/// Test fixture (never part of the shipped catalog) for the known-divergences manifest: with
/// <c>Fixtures/known-divergences.fixture.json</c> a case that still diverges is xfail, a case whose behaviour now
/// matches PyTorch is XPASS, and a listed case that fails some other way stays a failure.
/// </summary>
public sealed class DivergenceCaseSource : ICaseSource
{
    /// <summary>The failure text the fixture manifest expects of the diverging case.</summary>
    public const string StillDiverges = "fixture: still diverges";

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() =>
    [
        Case("fixture/divergence/1-still-diverges/cpu", "a listed case that fails as recorded", () => CaseResult.Fail(StillDiverges + " (observed 0, PyTorch 1)")),
        Case("fixture/divergence/2-fixed/cpu", "a listed behaviour that matches PyTorch: a view shares its base's storage", () =>
        {
            torch.Tensor x = torch.arange(6.0);
            torch.Tensor v = x.view(2, 3);
            return CaseResult.Check(v.SharesStorageWith(x), "the view does not share storage");
        }),
        Case("fixture/divergence/3-fails-otherwise/cpu", "a listed case that fails, but not as recorded", () => CaseResult.Fail("something else broke")),
        Case("fixture/divergence/4-unlisted/cpu", "a case the manifest does not list", () => CaseResult.Pass()),
    ];

    private static ConformanceCase Case(string id, string claim, Func<CaseResult> run) => new()
    {
        Id = id,
        Group = CaseGroup.Semantics,
        Claim = claim,
        Compares = "test fixture of the known-divergences manifest",
        Run = run,
    };
}
