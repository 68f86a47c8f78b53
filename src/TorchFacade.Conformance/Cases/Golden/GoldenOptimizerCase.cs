using System.Text.Json;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>One optimizer configuration of the golden grid.</summary>
internal sealed class GoldenOptimizerCase
{
    /// <summary>The configuration id (the key prefix in the archive).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary><c>sgd</c>, <c>adagrad</c>, <c>rmsprop</c>, <c>adam</c> or <c>adamw</c>.</summary>
    public string Optimizer { get; set; } = string.Empty;

    /// <summary>PyTorch's keyword arguments.</summary>
    public Dictionary<string, JsonElement> Options { get; set; } = [];
}
