namespace TorchFacade.Conformance.Tests.Report;

/// <summary>A small hand-made report with a pass, a failure (figures, inputs, pipes and newlines in text), and skips.</summary>
internal static class ReportFixtures
{
    public static ConformanceReport Sample()
    {
        var env = new RunEnvironment("0.1.0", "0.107.0", "2.10.0", ".NET 10", "Linux x64", 2, false, "no CUDA backend: CPU runtime");
        var f32 = Tolerance.For(TorchSharp.torch.ScalarType.Float32);
        CaseReport[] cases =
        [
            new("activation/gelu/float32/cpu", CaseGroup.Activations, "gelu matches", "reference vs LibTorch", "cpu", "float32",
                CaseOutcome.Passed, null, new Figures(1.1920929e-7, 2.5e-8, 1, 4099), f32, [], TimeSpan.FromMilliseconds(3)),
            new("activation/gelu/float32/cpu/backward", CaseGroup.Activations, "gelu' | matches", "reference vs autograd", "cpu", "float32",
                CaseOutcome.Failed, "grad: 2 of 10 elements outside rtol\nsecond line", new Figures(0.5, double.PositiveInfinity, double.NaN, 10),
                f32.Widen(1e-5, 1e-5, "a reason"), ["[3] x=-0 → actual 0.5 vs expected 0", "[7] x=NaN → actual 1 vs expected NaN"], TimeSpan.FromMilliseconds(4)),
            new("activation/gelu/float32/cuda", CaseGroup.Activations, "gelu matches", "reference vs LibTorch", "cuda", "float32",
                CaseOutcome.Skipped, "skipped: no CUDA backend: CPU runtime", null, f32, [], TimeSpan.Zero),
            new("semantics/basics/view-shares-storage/cpu", CaseGroup.Semantics, "view shares", "LibTorch vs docs", "cpu", "any",
                CaseOutcome.Passed, null, null, null, [], TimeSpan.FromMilliseconds(1)),
        ];
        return new ConformanceReport(cases, env, "every case", new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(1.5));
    }
}
