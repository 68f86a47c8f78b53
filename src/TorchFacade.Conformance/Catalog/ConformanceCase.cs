namespace TorchFacade.Conformance;

/// <summary>
/// One conformance case: a claim about PyTorch's behaviour, checked on one device and dtype, with its tolerance.
/// Cases are produced by <see cref="ICaseSource"/> implementations and collected by <see cref="Catalog"/>.
/// </summary>
public sealed class ConformanceCase
{
    /// <summary>Unique id, e.g. <c>activation/gelu-tanh/float32/cpu/backward</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The catalog group.</summary>
    public required CaseGroup Group { get; init; }

    /// <summary>The claim the case checks, in words.</summary>
    public required string Claim { get; init; }

    /// <summary>What is compared with what, e.g. "reference vs LibTorch kernel", "reference vs scalar oracle (double)".</summary>
    public required string Compares { get; init; }

    /// <summary>The device the case runs on: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The dtype the case runs in, or <see langword="null"/> when the case is not about one dtype.</summary>
    public torch.ScalarType? DType { get; init; }

    /// <summary>The tolerance and its reason, or <see langword="null"/> for exact/structural claims.</summary>
    public Tolerance? Tolerance { get; init; }

    /// <summary>
    /// Optional precondition checked before <see cref="Run"/> (and by the xunit runner when it reports the case): returns
    /// why the case cannot run here (for example "no golden files: run tests/golden/make_golden.py"), or
    /// <see langword="null"/> when it can. Must be cheap and must not create tensors. Device availability is checked
    /// separately by <see cref="CaseRunner"/>.
    /// </summary>
    public Func<string?>? SkipWhen { get; init; }

    /// <summary>Runs the claim. The runner opens a dispose scope around it and skips CUDA cases where CUDA is absent.</summary>
    public required Func<CaseResult> Run { get; init; }

    /// <summary>The dtype's short name as used in ids and filters (<c>float32</c>, <c>float64</c>, ...), or <c>any</c>.</summary>
    public string DTypeName => DType is { } d ? DTypeNames.Of(d) : "any";

    /// <inheritdoc />
    public override string ToString() => Id;
}
