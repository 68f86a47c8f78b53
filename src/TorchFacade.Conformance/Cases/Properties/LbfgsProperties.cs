using System.Globalization;
using CsCheck;
using TorchFacade.Conformance.Cases.Optimizers;
using TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>
/// Property: over random LBFGS options without a line search (lr, max_iter, max_eval, tolerance_grad, tolerance_change,
/// history_size) and random problems f(x) = Σ aᵢ(xᵢ − cᵢ)² + q·Σ xᵢ⁴ over one to three parameters of random shapes (0-d
/// included), the reference LBFGS's loss, parameters, <c>func_evals</c> and <c>n_iter</c> after every <c>step(closure)</c>
/// equal PyTorch 2.6's algorithm written out in <see cref="double"/> (<see cref="LbfgsLoopOracle"/>), float64.
/// </summary>
internal sealed class LbfgsProperties : ICaseSource
{
    private static readonly Tolerance Float64 = new(1e-10, 1e-12, "float64 vs the oracle's plain loops: LibTorch sums the dot products and the loss in another order, a few ulp per iteration over at most 25 iterations a step");

    /// <summary>The drawn inputs.</summary>
    internal static readonly Gen<LbfgsInput> Inputs =
        from lr in Gen.Frequency((1, Gen.Const(1.0)), (2, Gen.Double[0.05, 1]))
        from maxIter in Gen.Int[1, 25]
        from maxEval in Gen.Frequency((2, Gen.Const((int?)null)), (1, Gen.Int[1, 30].Select(v => (int?)v)))
        from toleranceGrad in Gen.Frequency((2, Gen.Const(1e-7)), (1, Gen.Double[1e-9, 1e-3]))
        from toleranceChange in Gen.Frequency((2, Gen.Const(1e-9)), (1, Gen.Double[1e-12, 1e-4]))
        from history in Gen.Frequency((1, Gen.Const(100)), (2, Gen.Int[1, 10]))
        from shapes in Gen.Int[1, 4].Select(n => (long)n).Array[0, 2].Array[1, 3]
        from quartic in Gen.Frequency((1, Gen.Const(0.0)), (2, Gen.Double[0, 0.1]))
        from steps in Gen.Int[1, 4]
        from seed in Gen.Int[0, 1_000_000]
        select new LbfgsInput(lr, maxIter, maxEval, toleranceGrad, toleranceChange, history, shapes, quartic, steps, seed);

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            string id = $"property/optimizer/lbfgs/{device}";
            yield return PropertyCheck.Case(
                id,
                device,
                "For random LBFGS options without a line search and random quadratic-plus-quartic problems over one to three parameters (0-d included), the reference LBFGS matches PyTorch 2.x's algorithm written out in double: loss, parameters, func_evals and n_iter after every step(closure).",
                "reference vs the C# for-loop oracle (double), property-based (CsCheck)",
                Float64,
                Inputs,
                input => Failure(input, device),
                Snippets(device));
        }
    }

    /// <summary>Runs the reference LBFGS on <paramref name="input"/>: after each <c>step(closure)</c>, the loss it returned, the parameters (flattened and joined) and PyTorch's <c>func_evals</c> and <c>n_iter</c>.</summary>
    /// <param name="input">The options and problem.</param>
    /// <param name="device">The device.</param>
    /// <returns>One entry a step.</returns>
    internal static IReadOnlyList<(double Loss, double[] Parameters, long FuncEvals, long NIter)> RunReference(LbfgsInput input, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(input);
        (double[] x0, double[] a, double[] c) = input.Data();
        var ps = new List<torch.Tensor>();
        var ta = new List<torch.Tensor>();
        var tc = new List<torch.Tensor>();
        int offset = 0;
        foreach (long[] shape in input.Shapes)
        {
            int count = (int)shape.Aggregate(1L, (x, y) => x * y);
            torch.Tensor Slice(double[] values) => torch.tensor(values[offset..(offset + count)], dtype: torch.ScalarType.Float64).reshape(shape).to(device);
            ps.Add(Slice(x0).requires_grad_(true));
            ta.Add(Slice(a));
            tc.Add(Slice(c));
            offset += count;
        }

        using var opt = new LBFGS(ps, input.Lr, input.MaxIter, input.MaxEval, input.ToleranceGrad, input.ToleranceChange, input.HistorySize);
        torch.Tensor Closure()
        {
            opt.ZeroGrad();
            torch.Tensor loss = torch.zeros([], dtype: torch.ScalarType.Float64, device: device);
            for (int k = 0; k < ps.Count; k++)
            {
                loss = loss + ((ps[k] - tc[k]).pow(2) * ta[k]).sum() + (input.Quartic * ps[k].pow(4).sum());
            }

            loss.backward();
            return loss;
        }

        var steps = new List<(double, double[], long, long)>();
        for (int step = 0; step < input.Steps; step++)
        {
            double loss = opt.Step(Closure)!.item<double>();
            IReadOnlyDictionary<string, object?> state = opt.StateDict().State[0];
            steps.Add((loss, ps.SelectMany(TorchFacade.Conformance.Compare.ToDoubles).ToArray(), (long)state["func_evals"]!, (long)state["n_iter"]!));
        }

        return steps;
    }

    /// <summary>Runs the reference LBFGS and the oracle on <paramref name="input"/> and compares them after every step.</summary>
    /// <param name="input">The options and problem.</param>
    /// <param name="device">The device.</param>
    /// <returns>Pass with a note, or the first difference.</returns>
    internal static CaseResult Compare(LbfgsInput input, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(input);
        (double[] x0, double[] a, double[] c) = input.Data();
        (double, double[]) OracleClosure(double[] v) =>
            (v.Select((vi, i) => (a[i] * (vi - c[i]) * (vi - c[i])) + (input.Quartic * vi * vi * vi * vi)).Sum(),
             v.Select((vi, i) => (2 * a[i] * (vi - c[i])) + (4 * input.Quartic * vi * vi * vi)).ToArray());

        var oracle = new LbfgsLoopOracle(input.Lr, input.MaxIter, input.MaxEval, input.ToleranceGrad, input.ToleranceChange, input.HistorySize);
        double[] x = (double[])x0.Clone();
        IReadOnlyList<(double Loss, double[] Parameters, long FuncEvals, long NIter)> reference = RunReference(input, device);
        for (int step = 0; step < reference.Count; step++)
        {
            double expectedLoss = oracle.Step(x, OracleClosure);
            string where = $"step {step + 1}";
            CaseResult lossCheck = TorchFacade.Conformance.Compare.Close([reference[step].Loss], [expectedLoss], Float64, torch.ScalarType.Float64, what: $"{where}, loss vs oracle");
            if (lossCheck.Outcome != CaseOutcome.Passed)
            {
                return lossCheck;
            }

            CaseResult values = TorchFacade.Conformance.Compare.Close(reference[step].Parameters, x, Float64, torch.ScalarType.Float64, what: $"{where}, parameters vs oracle");
            if (values.Outcome != CaseOutcome.Passed)
            {
                return values;
            }

            if (reference[step].FuncEvals != oracle.FuncEvals || reference[step].NIter != oracle.NIter)
            {
                return CaseResult.Fail($"{where}: func_evals {reference[step].FuncEvals}, n_iter {reference[step].NIter}; the oracle counts {oracle.FuncEvals} and {oracle.NIter}");
            }
        }

        return CaseResult.Pass(note: $"{input.Steps} steps, loss, parameters and counts vs the double oracle");
    }

    private static string? Failure(LbfgsInput input, string device)
    {
        CaseResult result = Compare(input, ConformanceDevices.Of(device));
        return result.Outcome == CaseOutcome.Passed ? null : result.Message + (result.FailingInputs.Count > 0 ? ": " + string.Join("; ", result.FailingInputs) : string.Empty);
    }

    private static PropertySnippets<LbfgsInput> Snippets(string device) => new(
        input => $"CaseResult r = LbfgsProperties.Compare(new LbfgsInput({PropertyCode.CSharp(input.Lr)}, {input.MaxIter}, {(input.MaxEval is { } m ? m.ToString(CultureInfo.InvariantCulture) : "null")}, "
                 + $"{PropertyCode.CSharp(input.ToleranceGrad)}, {PropertyCode.CSharp(input.ToleranceChange)}, {input.HistorySize}, [{string.Join(", ", input.Shapes.Select(PropertyCode.CSharpShape))}], "
                 + $"{PropertyCode.CSharp(input.Quartic)}, {input.Steps}, {input.DataSeed}), torch.{(device == "cpu" ? "CPU" : "CUDA")});",
        input => Python(input, device));

    /// <summary>The input as a PyTorch 2.x script (the reproducing snippet of a failure).</summary>
    /// <param name="input">The input.</param>
    /// <param name="device">The device's name.</param>
    /// <returns>Python source.</returns>
    internal static string Python(LbfgsInput input, string device)
    {
        (double[] x0, double[] a, double[] c) = input.Data();
        var lines = new List<string> { "import torch", "params, a, c = [], [], []" };
        int offset = 0;
        foreach (long[] shape in input.Shapes)
        {
            int count = (int)shape.Aggregate(1L, (x, y) => x * y);
            string T(double[] v) => $"torch.tensor({PropertyCode.PythonList(v[offset..(offset + count)])}, dtype=torch.float64).reshape({PropertyCode.PythonShape(shape)}).to('{device}')";
            lines.Add($"params.append({T(x0)}.requires_grad_()); a.append({T(a)}); c.append({T(c)})");
            offset += count;
        }

        lines.AddRange(
        [
            $"opt = torch.optim.LBFGS(params, lr={PropertyCode.Python(input.Lr)}, max_iter={input.MaxIter}, max_eval={(input.MaxEval is { } m ? m.ToString(CultureInfo.InvariantCulture) : "None")}, "
                + $"tolerance_grad={PropertyCode.Python(input.ToleranceGrad)}, tolerance_change={PropertyCode.Python(input.ToleranceChange)}, history_size={input.HistorySize})",
            "def closure():",
            "    opt.zero_grad()",
            $"    loss = sum(((p - ck) ** 2 * ak).sum() + {PropertyCode.Python(input.Quartic)} * (p ** 4).sum() for p, ak, ck in zip(params, a, c))",
            "    loss.backward()",
            "    return loss",
            $"for step in range({input.Steps}):",
            "    loss = opt.step(closure)",
            "    s = opt.state[params[0]]",
            "    print(step + 1, loss.item(), [p.tolist() for p in params], s['func_evals'], s['n_iter'])",
        ]);
        return string.Join('\n', lines);
    }
}
