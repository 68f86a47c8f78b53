namespace TorchFacade.Conformance.Cases.Layers;

/// <summary>Shared pieces of the layer cases: seeded inputs, combining several comparisons into one result.</summary>
internal static class LayerCaseKit
{
    public static readonly ScalarType[] FloatTypes = [ScalarType.Float32, ScalarType.Float64];

    /// <summary>Standard-normal values from a private generator (seeded, on the CPU, so every device sees the same numbers), then moved.</summary>
    public static Tensor Randn(ulong seed, ScalarType dtype, Device device, params long[] shape)
    {
        using var generator = new torch.Generator(seed, torch.CPU);
        using Tensor cpu = torch.randn(shape, dtype: ScalarType.Float64, generator: generator);
        return cpu.to(dtype).to(device);
    }

    /// <summary>Fails with the first failing part (prefixed by its name), else passes with the worst figures of all parts.</summary>
    public static CaseResult Combine(params (string What, CaseResult Result)[] parts)
    {
        foreach ((string what, CaseResult result) in parts)
        {
            if (result.Outcome != CaseOutcome.Passed)
            {
                return result with { Message = $"{what}: {result.Message}" };
            }
        }

        Figures? worst = null;
        foreach ((_, CaseResult result) in parts)
        {
            if (result.Figures is not { } f)
            {
                continue;
            }

            worst = worst is null
                ? f
                : new Figures(
                    Math.Max(worst.MaxAbsError, f.MaxAbsError),
                    Math.Max(worst.MaxRelError, f.MaxRelError),
                    worst.MaxUlp is null && f.MaxUlp is null ? null : Math.Max(worst.MaxUlp ?? 0, f.MaxUlp ?? 0),
                    worst.Elements + f.Elements);
        }

        string? notes = string.Join("; ", parts.Select(p => p.Result.Message).Where(m => !string.IsNullOrEmpty(m)));
        return CaseResult.Pass(worst, string.IsNullOrEmpty(notes) ? null : notes);
    }

    /// <summary>Exact equality of two integer sequences (shapes), as a result.</summary>
    public static CaseResult SameShape(IReadOnlyList<long> actual, IReadOnlyList<long> expected, string what) =>
        CaseResult.Check(
            actual.SequenceEqual(expected),
            $"{what}: got [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]");

    public static string Id(params string[] parts) => "layers/" + string.Join("/", parts);
}
