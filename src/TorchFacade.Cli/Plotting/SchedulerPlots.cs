using ScottPlot;
using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;
using TorchFacade.Reference.Optimizers;
using TorchSharp;

namespace TorchFacade.Cli.Plotting;

/// <summary>
/// Pictures of every learning-rate schedule of <c>TorchFacade.Optim.LrScheduler</c> (docs/schedulers.md), like those in
/// PyTorch's documentation: the lr of one group (initial lr 0.1) against the step, for typical arguments; CyclicLR and
/// OneCycleLR also show the momentum they cycle.
/// </summary>
internal static class SchedulerPlots
{
    private const int Width = 800;
    private const int Height = 450;
    private const int Steps = 100;

    /// <summary>The schedules drawn: file name, title, and how to build the scheduler on an SGD optimizer with lr 0.1 and momentum 0.9.</summary>
    private static readonly (string Name, string Title, Func<Optimizer, LRScheduler> Create)[] Schedules =
    [
        ("LambdaLR", "LambdaLR(lr_lambda=lambda e: 0.97 ** e)", o => new LambdaLR(o, e => Math.Pow(0.97, e))),
        ("MultiplicativeLR", "MultiplicativeLR(lr_lambda=lambda e: 0.95)", o => new MultiplicativeLR(o, _ => 0.95)),
        ("StepLR", "StepLR(step_size=30, gamma=0.1)", o => new StepLR(o, 30, 0.1)),
        ("MultiStepLR", "MultiStepLR(milestones=[30, 80], gamma=0.1)", o => new MultiStepLR(o, [30, 80], 0.1)),
        ("ConstantLR", "ConstantLR(factor=0.5, total_iters=20)", o => new ConstantLR(o, 0.5, 20)),
        ("LinearLR", "LinearLR(start_factor=0.1, end_factor=1.0, total_iters=40)", o => new LinearLR(o, 0.1, 1.0, 40)),
        ("ExponentialLR", "ExponentialLR(gamma=0.97)", o => new ExponentialLR(o, 0.97)),
        ("PolynomialLR", "PolynomialLR(total_iters=80, power=2.0)", o => new PolynomialLR(o, 80, 2.0)),
        ("CosineAnnealingLR", "CosineAnnealingLR(T_max=40, eta_min=0.001)", o => new CosineAnnealingLR(o, 40, 0.001)),
        ("CosineAnnealingWarmRestarts", "CosineAnnealingWarmRestarts(T_0=10, T_mult=2, eta_min=0.001)", o => new CosineAnnealingWarmRestarts(o, 10, 2, 0.001)),
        ("CyclicLR", "CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=10, mode='triangular2')", o => new CyclicLR(o, 0.01, 0.1, stepSizeUp: 10, mode: "triangular2")),
        ("OneCycleLR", "OneCycleLR(max_lr=0.1, total_steps=100)", o => new OneCycleLR(o, 0.1, totalSteps: Steps)),
        ("SequentialLR", "SequentialLR([LinearLR(start_factor=0.1, total_iters=10), ExponentialLR(gamma=0.97)], milestones=[10])",
            o => new SequentialLR(o, [new LinearLR(o, 0.1, totalIters: 10), new ExponentialLR(o, 0.97)], [10])),
        ("ChainedScheduler", "ChainedScheduler([ConstantLR(factor=0.5, total_iters=20), ExponentialLR(gamma=0.98)])",
            o => new ChainedScheduler([new ConstantLR(o, 0.5, 20), new ExponentialLR(o, 0.98)])),
        ("ReduceLROnPlateau", "ReduceLROnPlateau(patience=5, factor=0.5) on a loss that stalls", o => new ReduceLROnPlateau(o, factor: 0.5, patience: 5)),
    ];

    /// <summary>Writes one <c>&lt;Scheduler&gt;.png</c> per scheduler into <paramref name="outputDirectory"/>.</summary>
    /// <param name="outputDirectory">The folder (created when missing), e.g. <c>docs/img/schedulers</c>.</param>
    /// <returns>The paths of the files written.</returns>
    /// <exception cref="ArgumentException">The folder name is empty.</exception>
    public static IReadOnlyList<string> Render(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        foreach ((string name, string title, Func<Optimizer, LRScheduler> create) in Schedules)
        {
            (double[] lrs, double[] momentums) = Trajectory(create);
            var plot = new Plot();
            double[] steps = Enumerable.Range(0, lrs.Length).Select(i => (double)i).ToArray();
            var lr = plot.Add.Scatter(steps, lrs);
            lr.LegendText = "lr";
            lr.MarkerSize = 0;
            lr.LineWidth = 2;
            if (name is "CyclicLR" or "OneCycleLR")
            {
                // Momentum on the right axis: it moves inversely to the lr.
                var m = plot.Add.Scatter(steps, momentums);
                m.LegendText = "momentum (right axis)";
                m.MarkerSize = 0;
                m.Axes.YAxis = plot.Axes.Right;
                plot.Axes.Right.Label.Text = "momentum";
                plot.ShowLegend();
            }

            plot.Title(title);
            plot.XLabel("step");
            plot.YLabel("lr");
            string path = Path.Combine(outputDirectory, name + ".png");
            plot.SavePng(path, Width, Height);
            written.Add(path);
        }

        return written;
    }

    private static (double[] Lrs, double[] Momentums) Trajectory(Func<Optimizer, LRScheduler> create)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor p = torch.zeros([1], dtype: torch.ScalarType.Float64).requires_grad_(true);
        using Optimizer optimizer = new SGD([p], lr: 0.1, momentum: 0.9);
        LRScheduler scheduler = create(optimizer);
        scheduler.Warning += (_, _) => { };
        var lrs = new List<double> { optimizer.ParamGroups[0].Lr };
        var momentums = new List<double> { optimizer.ParamGroups[0].GetDouble("momentum") };
        double loss = 1.0;
        for (int i = 0; i < Steps; i++)
        {
            optimizer.Step();
            if (scheduler is ReduceLROnPlateau plateau)
            {
                // A loss that improves, then stalls: the lr halves after each 5 epochs without improvement.
                loss = i < 20 ? loss * 0.9 : loss * (1 + (0.001 * Math.Sin(i)));
                plateau.Step(loss);
            }
            else
            {
                scheduler.Step();
            }

            lrs.Add(optimizer.ParamGroups[0].Lr);
            momentums.Add(optimizer.ParamGroups[0].GetDouble("momentum"));
        }

        return ([.. lrs], [.. momentums]);
    }
}
