namespace TorchFacade.Cli.Plotting;

/// <summary>One family of pictures that <c>torchfacade plot</c> draws.</summary>
/// <param name="Name">The name used by <c>--only</c> and as the sub-folder of the output folder (e.g. <c>activations</c>).</param>
/// <param name="Description">What the pictures show.</param>
/// <param name="Render">Draws the pictures into the given folder (which exists when it is called).</param>
internal sealed record PlotEntry(string Name, string Description, Action<string> Render);
