namespace TorchFacade.Conformance;

/// <summary>
/// One entry of the known-divergences manifest (<c>Divergences/known-divergences.json</c>): a case whose claim — what
/// PyTorch does — is known not to hold for a TorchSharp version, with what each side does and the port's workaround.
/// </summary>
/// <param name="Case">The case id, or a glob with <c>*</c> (for example <c>divergence/torchsharp/zero-grad/*</c> for both devices).</param>
/// <param name="What">The divergence in a few words.</param>
/// <param name="PyTorch">What PyTorch 2.x does.</param>
/// <param name="TorchSharp">What TorchSharp (or the component named in <paramref name="What"/>) does instead.</param>
/// <param name="Workaround">What the facade or a port does about it.</param>
/// <param name="Observed">Optionally, text the failure message must contain: a case that fails some other way is a plain failure.</param>
internal sealed record KnownDivergence(string Case, string What, string PyTorch, string TorchSharp, string Workaround, string? Observed = null);
