using TorchFacade.Conformance.Cases.Activations;
using TorchFacade.Reference.Activations;

namespace TorchFacade.Cli.Plotting;

/// <summary>
/// Plots every element-wise reference activation with its derivative (the scalar oracle: <c>Value</c> and
/// <c>Derivative</c>), one PNG each, with ScottPlot 5. Used by <c>torchfacade plot activations</c>; the pictures in
/// docs/img/activations/ come from it.
/// </summary>
internal static class ActivationPlots
{
    private const int Width = 640;
    private const int Height = 420;
    private const int Samples = 801;

    /// <summary>Writes <c>&lt;id&gt;.png</c> for every activation into <paramref name="outputDirectory"/> (created if missing).</summary>
    /// <param name="outputDirectory">Where the PNG files go, e.g. <c>docs/img/activations</c>.</param>
    /// <returns>The paths written, in order.</returns>
    /// <exception cref="ArgumentException"><paramref name="outputDirectory"/> is empty.</exception>
    public static IReadOnlyList<string> Render(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        foreach (ActivationSpec spec in ActivationSpecs.All)
        {
            using var module = spec.Create();
            written.Add(RenderOne(outputDirectory, spec.Id, Title(spec.Id), module.Value, module.Derivative, spec.Id == "xsin" ? 8 : 5));
        }

        using var prelu = new PReLU();
        written.Add(RenderOne(outputDirectory, "prelu", "PReLU (a = 0.25)", prelu.Value, prelu.Derivative, 5));
        return written;
    }

    private static string RenderOne(string directory, string id, string title, Func<double, double> value, Func<double, double> derivative, double range)
    {
        double[] xs = Enumerable.Range(0, Samples).Select(i => -range + (2 * range * i / (Samples - 1))).ToArray();
        double[] ys = xs.Select(value).ToArray();
        double[] ds = xs.Select(derivative).ToArray();

        var plot = new ScottPlot.Plot();
        plot.Add.HorizontalLine(0, 1, ScottPlot.Colors.Gray);
        plot.Add.VerticalLine(0, 1, ScottPlot.Colors.Gray);
        var f = plot.Add.ScatterLine(xs, ys, ScottPlot.Colors.C0);
        f.LineWidth = 2.5f;
        f.LegendText = "f(x)";
        var d = plot.Add.ScatterLine(xs, ds, ScottPlot.Colors.C1);
        d.LineWidth = 2;
        d.LinePattern = ScottPlot.LinePattern.Dashed;
        d.LegendText = "f'(x) (PyTorch's backward)";
        plot.Title(title);
        plot.XLabel("x");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        string path = Path.Combine(directory, id + ".png");
        plot.SavePng(path, Width, Height);
        return path;
    }

    private static string Title(string id) => id switch
    {
        "sigmoid" => "Sigmoid σ(x)",
        "tanh" => "Tanh",
        "relu" => "ReLU (relu'(0) = 0)",
        "leaky-relu" => "LeakyReLU (slope 0.01)",
        "leaky-relu-0.2" => "LeakyReLU (slope 0.2)",
        "silu" => "SiLU x·σ(x)",
        "swish-1" => "Swish β = 1 (= SiLU)",
        "swish-1.5" => "Swish β = 1.5",
        "gelu-none" => "GELU (exact, erf)",
        "gelu-tanh" => "GELU (tanh approximation)",
        "selu" => "SELU (selu'(0) = λα)",
        "elu" => "ELU (α = 1)",
        "elu-0.5" => "ELU (α = 0.5)",
        "softplus" => "Softplus (β = 1, threshold 20)",
        "softplus-beta2" => "Softplus (β = 2, threshold 20)",
        "mish" => "Mish x·tanh(softplus(x))",
        "xtanh" => "x·tanh(x)",
        "xsin" => "x·sin(x)",
        _ => id,
    };
}
