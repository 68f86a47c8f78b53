namespace TorchFacade.Cli.Plotting;

/// <summary>
/// The picture families <c>torchfacade plot</c> draws, in order. Each entry's <see cref="PlotEntry.Render"/> receives
/// <c>&lt;out&gt;/&lt;name&gt;</c> (by default <c>docs/img/activations</c>, <c>docs/img/optimizers</c>).
/// </summary>
public static class PlotRegistry
{
    /// <summary>Every registered picture family.</summary>
    public static IReadOnlyList<PlotEntry> All { get; } =
    [
        new("activations", "every activation and its derivative", dir => TorchFacade.Cli.Plots.ActivationPlots.Render(dir)),
        new("optimizers", "optimizer trajectories and losses", dir => TorchFacade.Cli.Plots.OptimizerPlots.Render(dir)),
    ];
}
