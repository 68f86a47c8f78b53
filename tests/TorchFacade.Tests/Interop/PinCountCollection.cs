using Xunit;

namespace TorchFacade.Tests.Interop;

/// <summary>Tests that assert on the process-wide pin count run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PinCountCollection
{
    public const string Name = "Interop pin count";
}
