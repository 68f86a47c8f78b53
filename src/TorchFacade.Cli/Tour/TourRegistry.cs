using TorchFacade.Examples;

namespace TorchFacade.Cli.Tour;

/// <summary>The snippets <c>torchfacade tour</c> runs, in order: every example of <c>examples/</c> (<see cref="ExampleCatalog"/>).</summary>
internal static class TourRegistry
{
    private static readonly Lazy<IReadOnlyList<ITourSnippet>> Snippets =
        new(() => ExampleCatalog.All.Select(e => (ITourSnippet)new ExampleTourSnippet(e)).ToList());

    /// <summary>Every registered snippet.</summary>
    public static IReadOnlyList<ITourSnippet> All => Snippets.Value;
}
