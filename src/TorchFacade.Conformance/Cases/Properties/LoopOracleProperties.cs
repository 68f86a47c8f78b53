using System.Globalization;
using CsCheck;
using TorchFacade.Conformance.Cases.Optimizers;
using TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>
/// Property: for each of the six newer elementwise optimizers (NAdam, RAdam, Adamax, Adadelta, ASGD, Rprop), over random
/// options in the ranges people use (learning rate, betas, eps, weight decay coupled and decoupled, momentum decay, rho,
/// lambd/alpha/t0, etas and step sizes, maximize), random parameter shapes (0-d included), a parameter without a grad and
/// one whose grad is None on some steps, a random number of steps, float32/float64 and both update paths (the fused CPU
/// pass and the tensor-op path), the reference optimizer's parameters and state after every step equal the C# for-loop
/// oracle in <see cref="double"/> (<see cref="LoopOracle"/>).
/// </summary>
internal sealed class LoopOracleProperties : ICaseSource
{
    private static readonly Gen<long[]> Shape = Gen.Int[1, 6].Select(n => (long)n).Array[0, 3];

    private static readonly Gen<double?> WeightDecay = Gen.Frequency((2, Gen.Const((double?)null)), (1, Gen.Double[0, 0.1].Select(v => (double?)v)));

    private static readonly Gen<double?> Flag = Gen.Bool.Select(b => b ? (double?)1 : null);

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string name in NewerOptimizers.Names)
        {
            foreach (string device in ConformanceDevices.All)
            {
                string id = $"property/optimizer/{name.ToLowerInvariant()}/{device}";
                Gen<LoopOracleInput> inputs = Inputs(name);
                yield return PropertyCheck.Case(
                    id,
                    device,
                    $"For random options, parameter shapes (0-d included, a parameter without a grad, grads that are None on some steps), step counts, float32/float64 and both update paths (fused, tensor ops), the reference {name} matches PyTorch 2.x's update rule written out in double, parameters and state after every step.",
                    "reference vs the C# for-loop oracle (double), property-based (CsCheck)",
                    OptimizerCases.Float64Oracle,
                    inputs,
                    input => Failure(input, device),
                    Snippets(device));
            }
        }
    }

    private static Gen<IReadOnlyDictionary<string, double>> Options(string name)
    {
        Gen<double?> eps = Gen.Frequency((3, Gen.Const((double?)null)), (1, Gen.Double[1e-8, 1e-2].Select(v => (double?)v)));
        Gen<(double?, double?, double?)> betas =
            from lr in Gen.Double[1e-4, 0.1]
            from beta1 in Gen.Double[0, 0.99]
            from beta2 in Gen.Double[0.5, 0.9999]
            select ((double?)lr, (double?)beta1, (double?)beta2);
        Gen<(string, double?)[]> options = name switch
        {
            "NAdam" =>
                from b in betas
                from e in eps
                from wd in WeightDecay
                from decoupled in Flag
                from psi in Gen.Frequency((1, Gen.Const((double?)null)), (2, Gen.Double[0, 0.05].Select(v => (double?)v)))
                from maximize in Flag
                select new[] { ("lr", b.Item1), ("beta1", b.Item2), ("beta2", b.Item3), ("eps", e), ("weight_decay", wd), ("decoupled_weight_decay", decoupled), ("momentum_decay", psi), ("maximize", maximize) },
            "RAdam" =>
                from b in betas
                from e in eps
                from wd in WeightDecay
                from decoupled in Flag
                from maximize in Flag
                select new[] { ("lr", b.Item1), ("beta1", b.Item2), ("beta2", b.Item3), ("eps", e), ("weight_decay", wd), ("decoupled_weight_decay", decoupled), ("maximize", maximize) },
            "Adamax" =>
                from b in betas
                from e in eps
                from wd in WeightDecay
                from maximize in Flag
                select new[] { ("lr", b.Item1), ("beta1", b.Item2), ("beta2", b.Item3), ("eps", e), ("weight_decay", wd), ("maximize", maximize) },
            "Adadelta" =>
                from lr in Gen.Double[0.05, 2]
                from rho in Gen.Double[0, 0.99]
                from e in Gen.Frequency((3, Gen.Const((double?)null)), (1, Gen.Double[1e-8, 1e-3].Select(v => (double?)v)))
                from wd in WeightDecay
                from maximize in Flag
                select new[] { ("lr", (double?)lr), ("rho", (double?)rho), ("eps", e), ("weight_decay", wd), ("maximize", maximize) },
            "ASGD" =>
                from lr in Gen.Double[1e-3, 0.2]
                from lambd in Gen.Double[0, 0.01]
                from alpha in Gen.Double[0.5, 1]
                from t0 in Gen.Frequency((1, Gen.Const((double?)null)), (2, Gen.Int[1, 20].Select(v => (double?)v)))
                from wd in WeightDecay
                from maximize in Flag
                select new[] { ("lr", (double?)lr), ("lambd", (double?)lambd), ("alpha", (double?)alpha), ("t0", t0), ("weight_decay", wd), ("maximize", maximize) },
            _ =>
                from lr in Gen.Double[1e-3, 0.5]
                from etaminus in Gen.Double[0.1, 0.9]
                from etaplus in Gen.Double[1.05, 2]
                from minStep in Gen.Double[1e-8, 1e-4]
                from maxStep in Gen.Double[0.01, 50]
                from maximize in Flag
                select new[] { ("lr", (double?)lr), ("etaminus", (double?)etaminus), ("etaplus", (double?)etaplus), ("min_step", (double?)minStep), ("max_step", (double?)maxStep), ("maximize", maximize) },
        };
        return options.Select(pairs => (IReadOnlyDictionary<string, double>)pairs
            .Where(kv => kv.Item2 is not null)
            .ToDictionary(kv => kv.Item1, kv => kv.Item2!.Value, StringComparer.Ordinal));
    }

    /// <summary>The drawn inputs for optimizer <paramref name="name"/>.</summary>
    /// <param name="name">One of <see cref="NewerOptimizers.Names"/>.</param>
    /// <returns>The generator.</returns>
    internal static Gen<LoopOracleInput> Inputs(string name) =>
        from options in Options(name)
        from shapes in Shape.Array[1, 3]
        from frozen in Gen.Int[-1, shapes.Length - 1]
        from intermittent in Gen.Int[-1, shapes.Length - 1]
        from steps in Gen.Int[1, 20]
        from seed in Gen.Int[0, 1_000_000]
        from path in Gen.OneOf(UpdatePath.Auto, UpdatePath.TensorOps)
        from dtype in Gen.OneOf(torch.ScalarType.Float64, torch.ScalarType.Float32)
        select new LoopOracleInput(name, options, shapes, frozen, intermittent, steps, seed, path, dtype);

    private static string? Failure(LoopOracleInput input, string device)
    {
        CaseResult result = OptimizerTrajectory.CompareWithOracle(input.Problem(), new LoopOracle(input.Name, input.Options), input.DType, ConformanceDevices.Of(device), Create(input), Tolerance(input.DType), input.Steps);
        return result.Outcome == CaseOutcome.Passed ? null : result.Message + (result.FailingInputs.Count > 0 ? ": " + string.Join("; ", result.FailingInputs) : string.Empty);
    }

    private static Tolerance Tolerance(torch.ScalarType dtype) => dtype == torch.ScalarType.Float64 ? OptimizerCases.Float64Oracle : OptimizerCases.Float32Trajectory;

    /// <summary>Makes the reference optimizer of <paramref name="input"/> (its options and update path).</summary>
    /// <param name="input">The input.</param>
    /// <returns>The factory.</returns>
    internal static Func<torch.Tensor[], TorchFacade.Optim.Optimizer> Create(LoopOracleInput input) => ps =>
    {
        ReferenceOptimizer optimizer = NewerOptimizers.Create(input.Name, ps, input.Options);
        optimizer.Path = input.Path;
        return optimizer;
    };

    private static PropertySnippets<LoopOracleInput> Snippets(string device) => new(
        input => $$"""
            var options = new Dictionary<string, double> { {{string.Join(", ", input.Options.Select(kv => $"[\"{kv.Key}\"] = {PropertyCode.CSharp(kv.Value)}"))}} };
            var problem = new OptimizerProblem({{input.DataSeed}}, {{input.Steps}}, [{{string.Join(", ", input.Shapes.Select(PropertyCode.CSharpShape))}}], frozen: {{input.Frozen}}, intermittent: {{input.Intermittent}});
            CaseResult r = OptimizerTrajectory.CompareWithOracle(problem, new LoopOracle("{{input.Name}}", options), {{PropertyCode.CSharpDType(input.DType)}}, torch.{{(device == "cpu" ? "CPU" : "CUDA")}},
                ps => { var o = NewerOptimizers.Create("{{input.Name}}", ps, options); o.Path = UpdatePath.{{input.Path}}; return o; },
                OptimizerCases.{{(input.DType == torch.ScalarType.Float64 ? "Float64Oracle" : "Float32Trajectory")}}, steps: {{input.Steps}});
            """,
        input => Python(input, device));

    /// <summary>The input as a PyTorch 2.x script (the reproducing snippet of a failure).</summary>
    /// <param name="input">The input.</param>
    /// <param name="device">The device's name.</param>
    /// <returns>Python source.</returns>
    internal static string Python(LoopOracleInput input, string device) =>
        input.Problem().PythonScript(NewerOptimizers.Python(input.Name, input.Options), input.DType, device);
}
