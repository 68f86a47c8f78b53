using Xunit;

namespace TorchFacade.Conformance.Tests.Runner;

/// <summary>
/// Test classes that run catalog cases or the ported examples: some seed LibTorch's global generator
/// (<c>torch.manual_seed</c>) and then draw from it, or draw from it through module initialisers, so they must not
/// run in parallel with each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LibTorchGlobalStateCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "LibTorch global state (seeded generator)";
}
