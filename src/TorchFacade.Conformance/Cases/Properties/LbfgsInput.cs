namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>
/// One drawn input of the LBFGS property: the options (PyTorch's, no line search) and the problem
/// f(x) = Σ aᵢ(xᵢ − cᵢ)² + q·Σ xᵢ⁴ over parameters of the given shapes.
/// </summary>
/// <param name="Lr">lr.</param>
/// <param name="MaxIter">max_iter.</param>
/// <param name="MaxEval">max_eval (<see langword="null"/>: PyTorch's default, max_iter · 5 / 4).</param>
/// <param name="ToleranceGrad">tolerance_grad.</param>
/// <param name="ToleranceChange">tolerance_change.</param>
/// <param name="HistorySize">history_size.</param>
/// <param name="Shapes">The parameter shapes (flattened and joined, as LBFGS views them).</param>
/// <param name="Quartic">q, the weight of the quartic term (0: a pure quadratic).</param>
/// <param name="Steps">How many <c>step(closure)</c> calls.</param>
/// <param name="DataSeed">The seed of x₀, a and c.</param>
internal sealed record LbfgsInput(double Lr, int MaxIter, int? MaxEval, double ToleranceGrad, double ToleranceChange, int HistorySize, long[][] Shapes, double Quartic, int Steps, int DataSeed)
{
    /// <summary>x₀, a and c, flattened over every parameter.</summary>
    /// <returns>The three arrays, one element per parameter element.</returns>
    public (double[] X0, double[] A, double[] C) Data()
    {
        int n = (int)Shapes.Sum(s => s.Aggregate(1L, (x, y) => x * y));
        var random = new Random(DataSeed);
        double[] Draw(double low, double high) => Enumerable.Range(0, n).Select(_ => low + ((high - low) * random.NextDouble())).ToArray();
        return (Draw(-2, 2), Draw(0.5, 3), Draw(-2, 2));
    }
}
