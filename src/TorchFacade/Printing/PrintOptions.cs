namespace TorchFacade.Printing;

/// <summary>PyTorch's <c>torch.set_printoptions</c> settings, with PyTorch's defaults.</summary>
/// <param name="Precision">Digits after the decimal point (default 4).</param>
/// <param name="Threshold">Element count above which the output is summarised with <c>...</c> (default 1000).</param>
/// <param name="EdgeItems">Items shown at each edge of a summarised dimension (default 3).</param>
/// <param name="LineWidth">Characters per line before wrapping (default 80).</param>
public sealed record PrintOptions(int Precision = 4, long Threshold = 1000, int EdgeItems = 3, int LineWidth = 80)
{
    /// <summary>PyTorch's defaults.</summary>
    public static PrintOptions Default { get; } = new();
}
