namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>One configuration of <c>tests/golden/optim_validation.json</c> and PyTorch 2.6's outcome.</summary>
/// <param name="Options">The options drawn, by PyTorch's names, as Python reprs (<c>nan</c>, <c>-inf</c>, <c>-0.0</c>, <c>True</c>, <c>3</c>); <c>beta1</c>/<c>beta2</c>, <c>etaminus</c>/<c>etaplus</c> and <c>min_step</c>/<c>max_step</c> are the pairs' elements.</param>
/// <param name="Stage">Where PyTorch raised: <c>init</c>, <c>step</c>, or <see langword="null"/> when it raised nothing.</param>
/// <param name="Kind">The Python exception class, or <see langword="null"/>.</param>
/// <param name="Message">Its first line, or <see langword="null"/>.</param>
internal sealed record OptimValidationRow(IReadOnlyDictionary<string, string> Options, string? Stage, string? Kind, string? Message)
{
    /// <summary>The options as PyTorch's keyword arguments, for messages: <c>lr=nan, betas=(0.9, 1.5)</c>.</summary>
    public override string ToString() => Options.Count == 0 ? "defaults" : string.Join(", ", Options.Select(kv => $"{kv.Key}={kv.Value}"));
}
