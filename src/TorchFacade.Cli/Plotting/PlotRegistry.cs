namespace TorchFacade.Cli.Plotting;

/// <summary>
/// The picture families <c>torchfacade plot</c> draws, in order. Each entry's <see cref="PlotEntry.Render"/> receives
/// <c>&lt;out&gt;/&lt;name&gt;</c> (by default <c>docs/img/activations</c>, <c>docs/img/optimizers</c>).
/// </summary>
internal static class PlotRegistry
{
    /// <summary>Every registered picture family.</summary>
    public static IReadOnlyList<PlotEntry> All { get; } =
    [
        new("activations", "every activation and its derivative", dir => ActivationPlots.Render(dir)),
        new("optimizers", "optimizer trajectories and losses", dir => OptimizerPlots.Render(dir)),
        new("schedulers", "every learning-rate schedule, lr against step", dir => SchedulerPlots.Render(dir)),
    ];
}
