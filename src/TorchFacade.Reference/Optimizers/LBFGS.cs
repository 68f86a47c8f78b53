using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.LBFGS</c> written from scratch, a line-by-line port of PyTorch 2.6's <c>lbfgs.py</c> (two-loop
/// recursion over <c>history_size</c> curvature pairs, optional <c>line_search_fn: "strong_wolfe"</c> with PyTorch's cubic
/// interpolation), so the iterations and function evaluations per <see cref="Optimizer.Step"/> are PyTorch's on the same
/// problem. Its scalars mix floats and 0-d tensors exactly as PyTorch's do. Like PyTorch it is created over one parameter
/// group and needs a closure; complex parameters are flattened as <c>view_as_real</c>. As in PyTorch, <see cref="Optimizer.AddParamGroup(ParamGroup)"/>
/// is accepted afterwards (the base class's <c>add_param_group</c>: the group gets LBFGS's defaults and appears in
/// <see cref="Optimizer.StateDict"/>, whose state stays under parameter 0), but <see cref="Optimizer.Step"/> then refuses,
/// as PyTorch's <c>assert len(self.param_groups) == 1</c> does.
/// </summary>
public sealed class LBFGS : Optimizer
{
    private const string StrongWolfe = "strong_wolfe";

    private readonly Dictionary<string, object?> state = new(StringComparer.Ordinal);

    /// <summary>Set once the constructor's single group is in place.</summary>
    private readonly bool constructed;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors.</param>
    /// <param name="lr">Learning rate (default 1).</param>
    /// <param name="maxIter">Maximal number of iterations per step (default 20).</param>
    /// <param name="maxEval">Maximal number of function evaluations per step (default <c>maxIter * 5 / 4</c>).</param>
    /// <param name="toleranceGrad">Termination tolerance on first-order optimality (default 1e-7).</param>
    /// <param name="toleranceChange">Termination tolerance on function value or parameter changes (default 1e-9).</param>
    /// <param name="historySize">Update history size (default 100).</param>
    /// <param name="lineSearchFn"><see langword="null"/> (fixed step) or <c>"strong_wolfe"</c>.</param>
    /// <exception cref="ArgumentException"><c>Invalid learning rate</c>, an unknown line search, or a bad parameter list.</exception>
    public LBFGS(IEnumerable<torch.Tensor> parameters, double lr = 1, long maxIter = 20, long? maxEval = null, double toleranceGrad = 1e-7, double toleranceChange = 1e-9, long historySize = 100, string? lineSearchFn = null)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(null, "LBFGS: 'parameters' is null; pass a value."))], lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn)
    {
    }

    /// <summary>Creates the optimizer over exactly one parameter group (PyTorch: "LBFGS doesn't support per-parameter options (parameter groups)").</summary>
    /// <param name="groups">One group.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="maxIter">Maximal number of iterations per step.</param>
    /// <param name="maxEval">Maximal number of function evaluations per step.</param>
    /// <param name="toleranceGrad">Termination tolerance on first-order optimality.</param>
    /// <param name="toleranceChange">Termination tolerance on function value or parameter changes.</param>
    /// <param name="historySize">Update history size.</param>
    /// <param name="lineSearchFn"><see langword="null"/> or <c>"strong_wolfe"</c>.</param>
    /// <exception cref="ArgumentException">More than one group, or see the other constructor.</exception>
    public LBFGS(IEnumerable<ParamGroup> groups, double lr = 1, long maxIter = 20, long? maxEval = null, double toleranceGrad = 1e-7, double toleranceChange = 1e-9, long historySize = 100, string? lineSearchFn = null)
        : base(groups, OptimizerDefaults.LBFGS(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn))
    {
        constructed = true;
    }

    /// <inheritdoc />
    /// <remarks>Only the constructor refuses a second group (PyTorch's <c>LBFGS.__init__</c>); a later <c>add_param_group</c> is accepted, as in PyTorch.</remarks>
    protected override string? AddParamGroupUnsupportedReason => constructed ? null : "LBFGS doesn't support per-parameter options (parameter groups)";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["func_evals", "n_iter", "al", "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss"];

    /// <inheritdoc />
    protected override void CheckLoadedState(int index, IReadOnlyDictionary<string, object?> loaded)
    {
        _ = loaded ?? throw new ArgumentNullException(null, "LBFGS: 'loaded' is null; pass a value.");
        if (index != 0)
        {
            throw new ArgumentException($"LBFGS: loaded LBFGS state has an entry for parameter {index}; PyTorch's LBFGS keeps its whole state under the first parameter.");
        }

        foreach ((string name, object? value) in loaded)
        {
            if (!StateNames.Contains(name))
            {
                throw new ArgumentException($"LBFGS: loaded state of parameter 0 has '{name}', which LBFGS does not keep (it keeps: {string.Join(", ", StateNames)}); was the state dict saved by another optimizer?");
            }

            bool ok = name switch
            {
                "func_evals" or "n_iter" => value is long or int,
                "d" or "prev_flat_grad" => value is torch.Tensor { IsInvalid: false } t && t.dim() == 1 && t.numel() == FlatLength,
                "old_dirs" or "old_stps" => value is IEnumerable<object?> list && list.All(o => o is torch.Tensor { IsInvalid: false } t && t.numel() == FlatLength),
                "ro" or "al" => value is IEnumerable<object?>,
                _ => value is null or double or long or int or torch.Tensor,
            };
            if (!ok)
            {
                throw new ArgumentException($"LBFGS: loaded LBFGS state '{name}' has the wrong kind or shape ({value?.GetType().Name ?? "None"}); the parameters flatten to {FlatLength} elements.");
            }
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, object?> ReadState(int index) =>
        index == 0 ? new Dictionary<string, object?>(state, StringComparer.Ordinal) : new Dictionary<string, object?>();

    /// <inheritdoc />
    protected override void WriteState(int index, IReadOnlyDictionary<string, object?> loaded)
    {
        _ = loaded ?? throw new ArgumentNullException(null, "LBFGS: 'loaded' is null; pass a value.");
        if (index != 0)
        {
            return;
        }

        state.Clear();
        torch.Tensor like = Parameters[0];
        foreach ((string name, object? value) in loaded)
        {
            state[name] = value switch
            {
                torch.Tensor t => t.detach().to(like.device).clone().DetachFromDisposeScope(),
                IEnumerable<object?> list when value is not string => list.Select(o => o is torch.Tensor t ? (object?)t.detach().to(like.device).clone().DetachFromDisposeScope() : o).ToList(),
                _ => value,
            };
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException">No closure (PyTorch's LBFGS needs one).</exception>
    /// <exception cref="InvalidOperationException">A group was added with <see cref="Optimizer.AddParamGroup(ParamGroup)"/> (PyTorch: <c>AssertionError</c> from <c>assert len(self.param_groups) == 1</c>).</exception>
    protected override torch.Tensor? StepCore(Func<torch.Tensor>? closure)
    {
        if (ParamGroups.Count != 1)
        {
            throw new InvalidOperationException($"LBFGS.Step: LBFGS steps exactly one parameter group, but this optimizer has {ParamGroups.Count} (PyTorch's LBFGS.step asserts len(self.param_groups) == 1 and raises AssertionError). Create a separate LBFGS for the parameters of the added groups.");
        }

        _ = closure ?? throw new ArgumentNullException(null, "LBFGS: 'closure' is null; pass a value.");
        ParamGroup group = ParamGroups[0];
        double lr = group.Lr;
        long maxIter = (long)group["max_iter"]!;
        long maxEval = (long)group["max_eval"]!;
        double toleranceGrad = group.GetDouble("tolerance_grad");
        double toleranceChange = group.GetDouble("tolerance_change");
        string? lineSearch = (string?)group["line_search_fn"];
        long historySize = (long)group["history_size"]!;

        using KeptScalars kept = KeptScalars.Open();
        state.TryAdd("func_evals", 0L);
        state.TryAdd("n_iter", 0L);
        torch.Tensor origLoss = EvaluateClosure(closure)!;
        using var noGrad = torch.no_grad();
        double loss = ToDouble(origLoss);
        long currentEvals = 1;
        state["func_evals"] = (long)state["func_evals"]! + 1;

        {
            torch.Tensor flatGrad = GatherFlatGrad();
            if (flatGrad.abs().max().le(S(toleranceGrad)).item<bool>())
            {
                return origLoss;
            }

            torch.Tensor? d = state.GetValueOrDefault("d") as torch.Tensor;
            PyNumber t = state.TryGetValue("t", out object? tObj) && tObj is not null ? PyNumber.From(tObj) : 0.0;
            List<torch.Tensor> oldDirs = Tensors(state.GetValueOrDefault("old_dirs"));
            List<torch.Tensor> oldStps = Tensors(state.GetValueOrDefault("old_stps"));
            List<PyNumber> ro = Numbers(state.GetValueOrDefault("ro"));
            PyNumber hDiag = state.TryGetValue("H_diag", out object? h) && h is not null ? PyNumber.From(h) : 1.0;
            torch.Tensor? prevFlatGrad = state.GetValueOrDefault("prev_flat_grad") as torch.Tensor;
            double prevLoss = state.TryGetValue("prev_loss", out object? pl) && pl is not null ? PyNumber.From(pl).AsDouble : 0;

            long nIter = 0;
            while (nIter < maxIter)
            {
                nIter++;
                long stateIter = (long)state["n_iter"]! + 1;
                state["n_iter"] = stateIter;
                if (stateIter == 1)
                {
                    d = flatGrad.neg();
                    oldDirs = [];
                    oldStps = [];
                    ro = [];
                    hDiag = 1.0;
                }
                else
                {
                    torch.Tensor y = flatGrad.sub(prevFlatGrad!);
                    torch.Tensor s = Mul(d!, t);
                    torch.Tensor ys = y.dot(s);
                    if (ys.gt(S(1e-10)).item<bool>())
                    {
                        if (oldDirs.Count == historySize)
                        {
                            if (historySize == 0)
                            {
                                // PyTorch: `if len(old_dirs) == history_size: old_dirs.pop(0)` on an empty list.
                                throw new TorchException(PyTorchErrorTypes.IndexError, "LBFGS.Step: pop from empty list (history_size is 0, so PyTorch's LBFGS drops the oldest of no curvature pairs and fails the same way; use history_size >= 1).", "pop from empty list");
                            }

                            oldDirs.RemoveAt(0);
                            oldStps.RemoveAt(0);
                            ro.RemoveAt(0);
                        }

                        oldDirs.Add(y);
                        oldStps.Add(s);
                        ro.Add(ys.reciprocal().mul(S(1.0)));
                        hDiag = ys.div(y.dot(y));
                    }

                    int numOld = oldDirs.Count;
                    if (!state.ContainsKey("al"))
                    {
                        // PyTorch's `[None] * history_size`: empty for a history_size below 1.
                        state["al"] = Enumerable.Repeat<object?>(null, (int)Math.Clamp(historySize, 0, int.MaxValue)).ToList();
                    }

                    var al = (List<object?>)state["al"]!;
                    torch.Tensor q = flatGrad.neg();
                    for (int i = numOld - 1; i >= 0; i--)
                    {
                        PyNumber a = (PyNumber)oldStps[i].dot(q) * ro[i];
                        if (i >= al.Count)
                        {
                            // PyTorch: `al[i] = ...` past the end of `[None] * history_size` (a negative history_size).
                            throw new TorchException(PyTorchErrorTypes.IndexError, $"LBFGS.Step: list assignment index out of range (history_size is {historySize}, so PyTorch's LBFGS keeps no room for the curvature pair it stores and fails the same way; use history_size >= 1).", "list assignment index out of range");
                        }

                        al[i] = a.Boxed;
                        q.add_(oldDirs[i], alpha: S(-a.AsDouble));
                    }

                    torch.Tensor r = Mul(q, hDiag);
                    d = r;
                    for (int i = 0; i < numOld; i++)
                    {
                        PyNumber be = (PyNumber)oldDirs[i].dot(r) * ro[i];
                        r.add_(oldStps[i], alpha: S((PyNumber.From(al[i]) - be).AsDouble));
                    }
                }

                if (prevFlatGrad is null)
                {
                    prevFlatGrad = flatGrad.clone();
                }
                else
                {
                    prevFlatGrad.copy_(flatGrad);
                }

                prevLoss = loss;
                t = stateIter == 1 ? PyNumber.Min(1.0, 1.0 / (PyNumber)flatGrad.abs().sum()) * lr : lr;
                PyNumber gtd = flatGrad.dot(d!);
                if (gtd > -toleranceChange)
                {
                    break;
                }

                long lsFuncEvals = 0;
                bool optCond = false;
                if (lineSearch is not null)
                {
                    if (lineSearch != StrongWolfe)
                    {
                        // PyTorch accepts any line_search_fn in the constructor and raises here, in the first iteration.
                        throw new TorchException(PyTorchErrorTypes.RuntimeError, $"LBFGS.Step: only 'strong_wolfe' is supported (line_search_fn is '{lineSearch}'; use \"strong_wolfe\" or null).", "only 'strong_wolfe' is supported");
                    }

                    List<torch.Tensor> xInit = Parameters.Select(p => p.clone()).ToList();
                    (loss, flatGrad, t, lsFuncEvals) = StrongWolfeSearch(closure, xInit, t, d!, loss, flatGrad, gtd, toleranceChange);
                    AddGrad(t, d!);
                    optCond = flatGrad.abs().max().le(S(toleranceGrad)).item<bool>();
                }
                else
                {
                    AddGrad(t, d!);
                    if (nIter != maxIter)
                    {
                        loss = ToDouble(EvaluateClosure(closure)!);
                        flatGrad = GatherFlatGrad();
                        optCond = flatGrad.abs().max().le(S(toleranceGrad)).item<bool>();
                        lsFuncEvals = 1;
                    }
                }

                currentEvals += lsFuncEvals;
                state["func_evals"] = (long)state["func_evals"]! + lsFuncEvals;
                if (nIter == maxIter || currentEvals >= maxEval || optCond)
                {
                    break;
                }

                if (Mul(d!, t).abs().max().le(S(toleranceChange)).item<bool>())
                {
                    break;
                }

                if (Math.Abs(loss - prevLoss) < toleranceChange)
                {
                    break;
                }
            }

            state["d"] = Keep(d);
            state["t"] = t.Tensor is { } tt ? Keep(tt) : (object)t.Value;
            state["old_dirs"] = oldDirs.Select(x => (object?)Keep(x)).ToList();
            state["old_stps"] = oldStps.Select(x => (object?)Keep(x)).ToList();
            state["ro"] = ro.Select(x => x.Tensor is { } rt ? Keep(rt) : (object?)x.Value).ToList();
            state["H_diag"] = hDiag.Tensor is { } ht ? Keep(ht) : (object?)(long)hDiag.Value;
            state["prev_flat_grad"] = Keep(prevFlatGrad);
            state["prev_loss"] = prevLoss;
            if (state.GetValueOrDefault("al") is List<object?> alList)
            {
                for (int i = 0; i < alList.Count; i++)
                {
                    if (alList[i] is torch.Tensor at)
                    {
                        alList[i] = Keep(at);
                    }
                }
            }

            return origLoss;
        }
    }

    private int FlatLength => ParamGroups[0].Params.Sum(p => (int)(torch.is_complex(p) ? 2 * p.numel() : p.numel()));

    private static double ToDouble(torch.Tensor loss) => ((PyNumber)loss.detach()).AsDouble;

    private static torch.Tensor Mul(torch.Tensor x, PyNumber factor) => factor.Tensor is { } f ? x.mul(f) : x.mul(S(factor.Value));

    private static torch.Tensor? Keep(torch.Tensor? t) => t?.DetachFromDisposeScope();

    private static List<torch.Tensor> Tensors(object? value) => value is IEnumerable<object?> list ? list.OfType<torch.Tensor>().ToList() : [];

    private static List<PyNumber> Numbers(object? value) => value is IEnumerable<object?> list ? list.Select(PyNumber.From).ToList() : [];

    private static (PyNumber F, PyNumber G) CubicInterpolate(PyNumber x1, PyNumber f1, PyNumber g1, PyNumber x2, PyNumber f2, PyNumber g2, (PyNumber Min, PyNumber Max)? bounds = null)
    {
        (PyNumber xmin, PyNumber xmax) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1));
        PyNumber d1 = g1 + g2 - (3.0 * (f1 - f2) / (x1 - x2));
        PyNumber d2Square = (d1 * d1) - (g1 * g2);
        if (d2Square >= 0.0)
        {
            PyNumber d2 = d2Square.Tensor is { } sq ? sq.sqrt() : (PyNumber)Math.Sqrt(d2Square.Value);
            PyNumber minPos = x1 <= x2
                ? x2 - ((x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + (2.0 * d2))))
                : x1 - ((x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + (2.0 * d2))));
            return (PyNumber.Min(PyNumber.Max(minPos, xmin), xmax), 0.0);
        }

        return ((xmin + xmax) / 2.0, 0.0);
    }

    private torch.Tensor GatherFlatGrad()
    {
        var views = new List<torch.Tensor>();
        foreach (torch.Tensor p in Parameters)
        {
            torch.Tensor view = p.grad is null ? torch.zeros(p.numel(), dtype: p.dtype, device: p.device) : p.grad.reshape(-1);
            if (torch.is_complex(view))
            {
                view = torch.view_as_real(view).reshape(-1);
            }

            views.Add(view);
        }

        return torch.cat(views, 0);
    }

    private void AddGrad(PyNumber stepSize, torch.Tensor update)
    {
        long offset = 0;
        double alpha = stepSize.AsDouble;
        foreach (torch.Tensor param in Parameters)
        {
            torch.Tensor p = torch.is_complex(param) ? torch.view_as_real(param) : param;
            long numel = p.numel();
            p.add_(update.narrow(0, offset, numel).view_as(p), alpha: S(alpha));
            offset += numel;
        }
    }

    private (double Loss, torch.Tensor FlatGrad) DirectionalEvaluate(Func<torch.Tensor> closure, List<torch.Tensor> x, PyNumber t, torch.Tensor d)
    {
        AddGrad(t, d);
        double loss = ToDouble(EvaluateClosure(closure)!);
        torch.Tensor flatGrad = GatherFlatGrad();
        for (int i = 0; i < x.Count; i++)
        {
            Parameters[i].copy_(x[i]);
        }

        return (loss, flatGrad);
    }

    private (double Loss, torch.Tensor FlatGrad, PyNumber T, long Evals) StrongWolfeSearch(Func<torch.Tensor> closure, List<torch.Tensor> x, PyNumber t, torch.Tensor d, double f, torch.Tensor g, PyNumber gtd, double toleranceChange)
    {
        const double c1 = 1e-4, c2 = 0.9;
        const int maxLs = 25;
        PyNumber dNorm = d.abs().max();
        g = g.clone();
        (double fNew, torch.Tensor gNew) = DirectionalEvaluate(closure, x, t, d);
        long lsFuncEvals = 1;
        PyNumber gtdNew = gNew.dot(d);
        PyNumber tPrev = 0.0;
        double fPrev = f;
        torch.Tensor gPrev = g;
        PyNumber gtdPrev = gtd;
        bool done = false;
        int lsIter = 0;
        PyNumber[] bracket = [];
        double[] bracketF = [];
        torch.Tensor[] bracketG = [];
        PyNumber[] bracketGtd = [];
        while (lsIter < maxLs)
        {
            if ((PyNumber)fNew > f + (c1 * t * gtd) || (lsIter > 1 && fNew >= fPrev))
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]);
                break;
            }

            if (gtdNew.Abs() <= -c2 * gtd)
            {
                (bracket, bracketF, bracketG) = ([t], [fNew], [gNew]);
                done = true;
                break;
            }

            if (gtdNew >= 0.0)
            {
                (bracket, bracketF, bracketG, bracketGtd) = ([tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]);
                break;
            }

            PyNumber minStep = t + (0.01 * (t - tPrev));
            PyNumber maxStep = t * 10.0;
            PyNumber tmp = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, (minStep, maxStep)).F;
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew.clone();
            gtdPrev = gtdNew;
            (fNew, gNew) = DirectionalEvaluate(closure, x, t, d);
            lsFuncEvals++;
            gtdNew = gNew.dot(d);
            lsIter++;
        }

        if (lsIter == maxLs)
        {
            (bracket, bracketF, bracketG) = ([0.0, t], [f, fNew], [g, gNew]);
        }

        bool insufProgress = false;
        (int low, int high) = bracketF[0] <= bracketF[^1] ? (0, 1) : (1, 0);
        while (!done && lsIter < maxLs)
        {
            if ((bracket[1] - bracket[0]).Abs() * dNorm < toleranceChange)
            {
                break;
            }

            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]).F;
            PyNumber bMax = PyNumber.Max(bracket[0], bracket[1]);
            PyNumber bMin = PyNumber.Min(bracket[0], bracket[1]);
            PyNumber eps = 0.1 * (bMax - bMin);
            if (PyNumber.Min(bMax - t, t - bMin) < eps)
            {
                if (insufProgress || t >= bMax || t <= bMin)
                {
                    t = (t - bMax).Abs() < (t - bMin).Abs() ? bMax - eps : bMin + eps;
                    insufProgress = false;
                }
                else
                {
                    insufProgress = true;
                }
            }
            else
            {
                insufProgress = false;
            }

            (fNew, gNew) = DirectionalEvaluate(closure, x, t, d);
            lsFuncEvals++;
            gtdNew = gNew.dot(d);
            lsIter++;
            if ((PyNumber)fNew > f + (c1 * t * gtd) || fNew >= bracketF[low])
            {
                bracket[high] = t;
                bracketF[high] = fNew;
                bracketG[high] = gNew.clone();
                bracketGtd[high] = gtdNew;
                (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (gtdNew.Abs() <= -c2 * gtd)
                {
                    done = true;
                }
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0.0)
                {
                    bracket[high] = bracket[low];
                    bracketF[high] = bracketF[low];
                    bracketG[high] = bracketG[low];
                    bracketGtd[high] = bracketGtd[low];
                }

                bracket[low] = t;
                bracketF[low] = fNew;
                bracketG[low] = gNew.clone();
                bracketGtd[low] = gtdNew;
            }
        }

        return (bracketF[low], bracketG[low], bracket[low], lsFuncEvals);
    }
}
