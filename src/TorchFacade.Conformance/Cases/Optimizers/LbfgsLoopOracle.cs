namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// PyTorch 2.6's <c>LBFGS.step</c> without a line search (fixed step <c>t</c>), written out in <see cref="double"/>
/// with plain loops: the two-loop recursion over at most <c>history_size</c> curvature pairs (a pair is kept only when
/// <c>y·s &gt; 1e-10</c>), the first step scaled by <c>min(1, 1/Σ|g|)·lr</c>, and PyTorch's five stopping tests in
/// PyTorch's order. Counts <c>func_evals</c> and <c>n_iter</c> as PyTorch's state does.
/// </summary>
internal sealed class LbfgsLoopOracle(double lr, int maxIter, int? maxEval, double toleranceGrad, double toleranceChange, int historySize)
{
    private readonly List<double[]> oldDirs = [];
    private readonly List<double[]> oldSteps = [];
    private readonly List<double> ro = [];
    private double[]? d;
    private double[]? prevGrad;
    private double t;
    private double hDiag = 1;

    /// <summary>Gets PyTorch's <c>state["func_evals"]</c>.</summary>
    public long FuncEvals { get; private set; }

    /// <summary>Gets PyTorch's <c>state["n_iter"]</c>.</summary>
    public long NIter { get; private set; }

    /// <summary>One <c>step(closure)</c>.</summary>
    /// <param name="x">The parameters (flattened), updated in place.</param>
    /// <param name="closure">Loss and gradient at <paramref name="x"/>.</param>
    /// <returns>The loss of the first evaluation, as PyTorch returns it.</returns>
    public double Step(double[] x, Func<double[], (double Loss, double[] Grad)> closure)
    {
        int evalLimit = maxEval ?? (maxIter * 5 / 4);
        (double loss, double[] g) = closure(x);
        double origLoss = loss;
        int currentEvals = 1;
        FuncEvals++;
        if (g.Max(Math.Abs) <= toleranceGrad)
        {
            return origLoss;
        }

        int nIter = 0;
        while (nIter < maxIter)
        {
            nIter++;
            NIter++;
            if (NIter == 1)
            {
                d = g.Select(v => -v).ToArray();
                oldDirs.Clear();
                oldSteps.Clear();
                ro.Clear();
                hDiag = 1;
            }
            else
            {
                double[] y = g.Select((v, i) => v - prevGrad![i]).ToArray();
                double[] s = d!.Select(v => v * t).ToArray();
                double ys = Dot(y, s);
                if (ys > 1e-10)
                {
                    if (oldDirs.Count == historySize)
                    {
                        oldDirs.RemoveAt(0);
                        oldSteps.RemoveAt(0);
                        ro.RemoveAt(0);
                    }

                    oldDirs.Add(y);
                    oldSteps.Add(s);
                    ro.Add(1 / ys);
                    hDiag = ys / Dot(y, y);
                }

                var al = new double[oldDirs.Count];
                double[] q = g.Select(v => -v).ToArray();
                for (int i = oldDirs.Count - 1; i >= 0; i--)
                {
                    al[i] = Dot(oldSteps[i], q) * ro[i];
                    for (int j = 0; j < q.Length; j++)
                    {
                        q[j] -= al[i] * oldDirs[i][j];
                    }
                }

                double[] r = q.Select(v => v * hDiag).ToArray();
                for (int i = 0; i < oldDirs.Count; i++)
                {
                    double be = Dot(oldDirs[i], r) * ro[i];
                    for (int j = 0; j < r.Length; j++)
                    {
                        r[j] += oldSteps[i][j] * (al[i] - be);
                    }
                }

                d = r;
            }

            prevGrad = (double[])g.Clone();
            double prevLoss = loss;
            t = NIter == 1 ? Math.Min(1.0, 1.0 / g.Sum(Math.Abs)) * lr : lr;
            if (Dot(g, d!) > -toleranceChange)
            {
                break;
            }

            for (int j = 0; j < x.Length; j++)
            {
                x[j] += t * d![j];
            }

            int lsEvals = 0;
            bool optimal = false;
            if (nIter != maxIter)
            {
                (loss, g) = closure(x);
                optimal = g.Max(Math.Abs) <= toleranceGrad;
                lsEvals = 1;
            }

            currentEvals += lsEvals;
            FuncEvals += lsEvals;
            if (nIter == maxIter || currentEvals >= evalLimit || optimal || d!.Max(v => Math.Abs(v * t)) <= toleranceChange || Math.Abs(loss - prevLoss) < toleranceChange)
            {
                break;
            }
        }

        return origLoss;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
