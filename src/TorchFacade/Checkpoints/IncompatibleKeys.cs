namespace TorchFacade;

/// <summary>
/// What <c>LoadStateDict</c> did not match (PyTorch's <c>_IncompatibleKeys</c> named tuple): the model's keys the state
/// dict lacks and the state dict's keys the model lacks. With <c>strict: true</c> either list being non-empty raises
/// instead, so a returned value is all-empty unless <c>strict: false</c> was passed.
/// </summary>
public sealed class IncompatibleKeys
{
    internal IncompatibleKeys(IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys)
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
    }

    /// <summary>PyTorch's <c>missing_keys</c>: parameters and persistent buffers of the model absent from the state dict, in the model's order.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>PyTorch's <c>unexpected_keys</c>: keys of the state dict that name no parameter or buffer of the model.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>As Python prints it: <c>&lt;All keys matched successfully&gt;</c>, or <c>_IncompatibleKeys(missing_keys=[...], unexpected_keys=[...])</c>.</summary>
    public override string ToString() =>
        MissingKeys.Count == 0 && UnexpectedKeys.Count == 0
            ? "<All keys matched successfully>"
            : $"_IncompatibleKeys(missing_keys=[{string.Join(", ", MissingKeys.Select(k => $"'{k}'"))}], unexpected_keys=[{string.Join(", ", UnexpectedKeys.Select(k => $"'{k}'"))}])";
}
