using ScottPlot;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp;

namespace TorchFacade.Cli.Plotting;

/// <summary>
/// Pictures of the reference optimizers at work (docs/optimizers.md): their trajectories on an ill-conditioned 2-D
/// quadratic and on Rosenbrock's function, and the loss per step — momentum damping the zig-zag of plain SGD, Adagrad's
/// steps shrinking, RMSprop and Adam normalising each coordinate.
/// </summary>
internal static class OptimizerPlots
{
    private const int Width = 900;
    private const int Height = 650;

    /// <summary>Writes <c>quadratic.png</c>, <c>quadratic-loss.png</c>, <c>rosenbrock.png</c> and <c>rosenbrock-loss.png</c> into <paramref name="outputDirectory"/>.</summary>
    /// <param name="outputDirectory">The folder (created when missing), e.g. <c>docs/img/optimizers</c>.</param>
    /// <returns>The paths of the files written.</returns>
    /// <exception cref="ArgumentException">The folder name is empty.</exception>
    public static IReadOnlyList<string> Render(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        written.AddRange(RenderProblem(outputDirectory, Quadratic));
        written.AddRange(RenderProblem(outputDirectory, Rosenbrock));
        return written;
    }

    /// <summary>f(x, y) = 0.1x² + 2y², from (−5, −2): curvatures 0.2 and 4, condition number 20.</summary>
    private static readonly Problem Quadratic = new(
        "quadratic",
        "f(x, y) = 0.1x² + 2y²  (condition number 20), 40 steps from (−5, −2)",
        (x, y) => (0.1 * x * x) + (2 * y * y),
        (x, y) => (0.2 * x, 4 * y),
        (-5, -2),
        40,
        (-5.5, 1.5, -2.5, 2.5),
        z => z,
        [
            ("SGD lr=0.4", ps => new SGD(ps, 0.4)),
            ("SGD lr=0.4, momentum=0.5", ps => new SGD(ps, 0.4, momentum: 0.5)),
            ("Adagrad lr=0.4", ps => new Reference.Optimizers.Adagrad(ps, 0.4)),
            ("RMSprop lr=0.1, alpha=0.9", ps => new RMSprop(ps, 0.1, alpha: 0.9)),
            ("Adam lr=0.4", ps => new Reference.Optimizers.Adam(ps, 0.4)),
            ("AdamW lr=0.4, wd=0.1", ps => new Reference.Optimizers.AdamW(ps, 0.4, weightDecay: 0.1)),
        ]);

    /// <summary>Rosenbrock's f(x, y) = (1 − x)² + 100(y − x²)², minimum at (1, 1), from (−1.5, 2).</summary>
    private static readonly Problem Rosenbrock = new(
        "rosenbrock",
        "Rosenbrock (1 − x)² + 100(y − x²)², 2000 steps from (−1.5, 2); minimum at (1, 1)",
        (x, y) => ((1 - x) * (1 - x)) + (100 * (y - (x * x)) * (y - (x * x))),
        (x, y) => ((-2 * (1 - x)) - (400 * x * (y - (x * x))), 200 * (y - (x * x))),
        (-1.5, 2),
        2000,
        (-2, 2, -1, 3),
        z => Math.Log10(1 + z),
        [
            ("SGD lr=1e-3", ps => new SGD(ps, 1e-3)),
            ("SGD lr=5e-4, momentum=0.9", ps => new SGD(ps, 5e-4, momentum: 0.9)),
            ("Adagrad lr=0.1", ps => new Reference.Optimizers.Adagrad(ps, 0.1)),
            ("RMSprop lr=0.01", ps => new RMSprop(ps, 0.01)),
            ("Adam lr=0.05", ps => new Reference.Optimizers.Adam(ps, 0.05)),
            ("AdamW lr=0.05, wd=0.01", ps => new Reference.Optimizers.AdamW(ps, 0.05, weightDecay: 0.01)),
        ]);

    private static IEnumerable<string> RenderProblem(string folder, Problem problem)
    {
        var map = new Plot();
        map.Add.ContourLines(Grid(problem), 14);
        var loss = new Plot();
        foreach ((string name, Func<torch.Tensor[], Optimizer> create) in problem.Optimizers)
        {
            (double[] xs, double[] ys) = Trajectory(problem, create);
            var path = map.Add.Scatter(xs, ys);
            path.LegendText = $"{name}: f = {problem.F(xs[^1], ys[^1]):G2}";
            path.MarkerSize = problem.Steps > 100 ? 0 : 4;
            path.LineWidth = 2;
            double[] f = xs.Select((x, i) => Math.Log10(problem.F(x, ys[i]) + 1e-12)).ToArray();
            var curve = loss.Add.Scatter(Enumerable.Range(0, f.Length).Select(i => (double)i).ToArray(), f);
            curve.LegendText = name;
            curve.MarkerSize = 0;
            curve.LineWidth = 2;
        }

        map.Add.Marker(problem.Start.X, problem.Start.Y, MarkerShape.FilledCircle, 10, Colors.Black);
        map.Title(problem.Title);
        map.XLabel("x");
        map.YLabel("y");
        (double x0, double x1, double y0, double y1) = problem.View;
        map.Axes.SetLimits(x0, x1, y0, y1);
        map.ShowLegend();
        loss.Title(problem.Title);
        loss.XLabel("step");
        loss.YLabel("log10 f");
        loss.ShowLegend();
        string mapPath = Path.Combine(folder, problem.Name + ".png");
        string lossPath = Path.Combine(folder, problem.Name + "-loss.png");
        map.SavePng(mapPath, Width, Height);
        loss.SavePng(lossPath, Width, Height);
        return [mapPath, lossPath];
    }

    private static (double[] Xs, double[] Ys) Trajectory(Problem problem, Func<torch.Tensor[], Optimizer> create)
    {
        torch.Tensor p = torch.tensor(new[] { problem.Start.X, problem.Start.Y }, dtype: torch.ScalarType.Float64).requires_grad_(true);
        using Optimizer optimizer = create([p]);
        var xs = new double[problem.Steps + 1];
        var ys = new double[problem.Steps + 1];
        double[] v = p.detach().data<double>().ToArray();
        (xs[0], ys[0]) = (v[0], v[1]);
        for (int step = 1; step <= problem.Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            (double gx, double gy) = problem.Gradient(v[0], v[1]);
            p.grad = torch.tensor(new[] { gx, gy }, dtype: torch.ScalarType.Float64);
            optimizer.Step();
            v = p.detach().data<double>().ToArray();
            (xs[step], ys[step]) = (v[0], v[1]);
        }

        return (xs, ys);
    }

    private static Coordinates3d[,] Grid(Problem problem)
    {
        const int n = 120;
        (double x0, double x1, double y0, double y1) = problem.View;
        var grid = new Coordinates3d[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double x = x0 + ((x1 - x0) * j / (n - 1));
                double y = y0 + ((y1 - y0) * i / (n - 1));
                grid[i, j] = new Coordinates3d(x, y, problem.Contour(problem.F(x, y)));
            }
        }

        return grid;
    }

    private sealed record Problem(
        string Name,
        string Title,
        Func<double, double, double> F,
        Func<double, double, (double, double)> Gradient,
        (double X, double Y) Start,
        int Steps,
        (double X0, double X1, double Y0, double Y1) View,
        Func<double, double> Contour,
        (string Name, Func<torch.Tensor[], Optimizer> Create)[] Optimizers);
}
