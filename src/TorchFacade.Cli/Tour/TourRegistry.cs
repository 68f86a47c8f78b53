namespace TorchFacade.Cli.Tour;

/// <summary>The snippets <c>torchfacade tour</c> runs, in order.</summary>
public static class TourRegistry
{
    /// <summary>Every registered snippet.</summary>
    public static IReadOnlyList<ITourSnippet> All { get; } =
    [
    ];
}
