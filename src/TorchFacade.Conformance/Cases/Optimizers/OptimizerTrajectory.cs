using TorchFacade.Optim;

namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// Runs two optimizers (or an optimizer and the <see cref="OptimizerOracle"/>) side by side on an
/// <see cref="OptimizerProblem"/> and compares the parameters and every state buffer after every step.
/// </summary>
internal static class OptimizerTrajectory
{
    /// <summary>Default number of steps for a comparison (the catalog's "≥ 100 steps").</summary>
    public const int DefaultSteps = 100;

    /// <summary>
    /// Runs <paramref name="reference"/> and <paramref name="other"/> on their own copies of the problem for
    /// <paramref name="steps"/> steps, comparing parameters, step counts and the reference's state buffers after each step.
    /// </summary>
    /// <param name="problem">The problem.</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="device">The device.</param>
    /// <param name="reference">Makes the optimizer under test.</param>
    /// <param name="other">Makes the optimizer it is compared with.</param>
    /// <param name="tolerance">The tolerance for every compared value.</param>
    /// <param name="steps">Number of steps.</param>
    /// <returns>Pass with the worst figures over all steps, or the first failing step.</returns>
    public static CaseResult CompareOptimizers(OptimizerProblem problem, torch.ScalarType dtype, torch.Device device, Func<torch.Tensor[], Optimizer> reference, Func<torch.Tensor[], Optimizer> other, Tolerance tolerance, int steps = DefaultSteps)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(other);
        torch.Tensor[] pa = problem.CreateParameters(dtype, device);
        torch.Tensor[] pb = problem.CreateParameters(dtype, device);
        using Optimizer a = reference(pa);
        using Optimizer b = other(pb);
        var worst = new Worst();
        for (int step = 0; step < steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            problem.SetGrads(pa, step);
            problem.SetGrads(pb, step);
            a.Step();
            b.Step();
            for (int k = 0; k < pa.Length; k++)
            {
                if (worst.Add(Compare.Close(pb[k], pa[k], tolerance, what: $"step {step + 1}, parameter {k}")) is { } fail)
                {
                    return fail;
                }

                var sa = a.StateOf(pa[k]);
                var sb = b.StateOf(pb[k]);
                foreach ((string name, torch.Tensor t) in sa)
                {
                    if (!sb.TryGetValue(name, out torch.Tensor? u))
                    {
                        if (name == "step" || !HasStep(sa))
                        {
                            return CaseResult.Fail($"step {step + 1}, parameter {k}: the other optimizer has no state '{name}'");
                        }

                        continue;
                    }

                    if (worst.Add(Compare.Close(u, t, name == "step" ? Tolerance.Exact("step counts are integers") : tolerance, what: $"step {step + 1}, parameter {k}, state '{name}'")) is { } failState)
                    {
                        return failState;
                    }
                }

                if (k == problem.Frozen && sa.Count > 0 && !(sa.Count == 2 && sa.ContainsKey("sum")))
                {
                    return CaseResult.Fail($"parameter {k} never had a grad but has state ({string.Join(", ", sa.Keys)}); PyTorch creates none");
                }
            }
        }

        return worst.Pass($"{steps} steps, parameters and state compared after every step");
    }

    /// <summary>
    /// Compares an optimizer with the <see cref="OptimizerOracle"/>. In float64 the oracle runs its own trajectory from the
    /// same start; in other dtypes each step is checked from the optimizer's own state before that step (the oracle is
    /// loaded with it), so rounding in the lower precision does not accumulate into the comparison.
    /// </summary>
    /// <param name="problem">The problem.</param>
    /// <param name="spec">The configuration.</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="device">The device.</param>
    /// <param name="create">Makes the optimizer under test.</param>
    /// <param name="tolerance">The tolerance.</param>
    /// <param name="steps">Number of steps.</param>
    /// <returns>Pass with the worst figures, or the first failing step.</returns>
    public static CaseResult CompareWithOracle(OptimizerProblem problem, OptimizerSpec spec, torch.ScalarType dtype, torch.Device device, Func<torch.Tensor[], Optimizer> create, Tolerance tolerance, int steps = DefaultSteps)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return CompareWithOracle(problem, spec.CreateOracle(), dtype, device, create, tolerance, steps);
    }

    /// <summary>
    /// Compares an optimizer with a fresh <paramref name="oracle"/> (<see cref="OptimizerOracle"/>, <see cref="LoopOracle"/>), as
    /// <see cref="CompareWithOracle(OptimizerProblem, OptimizerSpec, torch.ScalarType, torch.Device, Func{torch.Tensor[], Optimizer}, Tolerance, int)"/> does.
    /// </summary>
    /// <param name="problem">The problem.</param>
    /// <param name="oracle">The oracle, with no state yet.</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="device">The device.</param>
    /// <param name="create">Makes the optimizer under test.</param>
    /// <param name="tolerance">The tolerance.</param>
    /// <param name="steps">Number of steps.</param>
    /// <returns>Pass with the worst figures, or the first failing step.</returns>
    public static CaseResult CompareWithOracle(OptimizerProblem problem, ForLoopOracle oracle, torch.ScalarType dtype, torch.Device device, Func<torch.Tensor[], Optimizer> create, Tolerance tolerance, int steps = DefaultSteps)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(create);
        bool trajectory = dtype == torch.ScalarType.Float64;
        torch.Tensor[] ps = problem.CreateParameters(dtype, device);
        using Optimizer opt = create(ps);
        double[][] values = problem.Initial.Select(v => (double[])v.Clone()).ToArray();
        var worst = new Worst();
        for (int step = 0; step < steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            if (!trajectory)
            {
                values = ps.Select(Compare.ToDoubles).ToArray();
                for (int k = 0; k < ps.Length; k++)
                {
                    var s = opt.StateOf(ps[k]);
                    if (s.Count > 0)
                    {
                        oracle.SetState(k, s.TryGetValue("step", out var t) ? (long)Compare.ToDoubles(t)[0] : 0, s.Where(kv => kv.Key != "step").ToDictionary(kv => kv.Key, kv => Compare.ToDoubles(kv.Value)));
                    }
                }
            }

            problem.SetGrads(ps, step);
            double[]?[] grads = trajectory ? problem.Grads(values, step) : ps.Select(p => p.grad is null ? null : Compare.ToDoubles(p.grad)).ToArray();
            opt.Step();
            oracle.Step(values, grads);
            for (int k = 0; k < ps.Length; k++)
            {
                if (worst.Add(Compare.Close(Compare.ToDoubles(ps[k]), values[k], tolerance, dtype, what: $"step {step + 1}, parameter {k} vs oracle")) is { } fail)
                {
                    return fail;
                }

                var s = opt.StateOf(ps[k]);
                var os = oracle.StateOf(k);
                if (s.TryGetValue("step", out torch.Tensor? st) && (long)Compare.ToDoubles(st)[0] != oracle.StepOf(k))
                {
                    return CaseResult.Fail($"step {step + 1}, parameter {k}: step count {Compare.ToDoubles(st)[0]} vs oracle {oracle.StepOf(k)}");
                }

                foreach ((string name, double[] expected) in os ?? new Dictionary<string, double[]>())
                {
                    if (!s.TryGetValue(name, out torch.Tensor? actual))
                    {
                        return CaseResult.Fail($"step {step + 1}, parameter {k}: no state '{name}' (the oracle has it)");
                    }

                    if (worst.Add(Compare.Close(Compare.ToDoubles(actual), expected, tolerance, dtype, what: $"step {step + 1}, parameter {k}, state '{name}' vs oracle")) is { } failState)
                    {
                        return failState;
                    }
                }

                if ((os is null || os.Count == 0) && s.Any(kv => kv.Key != "step"))
                {
                    return CaseResult.Fail($"step {step + 1}, parameter {k}: has state ({string.Join(", ", s.Keys)}) where PyTorch has none");
                }
            }
        }

        return worst.Pass(trajectory ? $"{steps}-step float64 trajectory vs the double oracle" : $"{steps} steps, each from the optimizer's own state, vs the double oracle");
    }

    private static bool HasStep(IReadOnlyDictionary<string, torch.Tensor> state) => state.ContainsKey("step");

    /// <summary>Keeps the worst figures over many comparisons.</summary>
    private sealed class Worst
    {
        private double abs;
        private double rel;
        private double? ulp;
        private long elements;

        public CaseResult? Add(CaseResult r)
        {
            if (r.Figures is { } f)
            {
                abs = Math.Max(abs, f.MaxAbsError);
                rel = Math.Max(rel, f.MaxRelError);
                ulp = f.MaxUlp is { } u ? Math.Max(ulp ?? 0, u) : ulp;
                elements += f.Elements;
            }

            return r.Outcome == CaseOutcome.Passed ? null : r;
        }

        public CaseResult Pass(string note) => CaseResult.Pass(new Figures(abs, rel, ulp, elements), note);
    }
}
