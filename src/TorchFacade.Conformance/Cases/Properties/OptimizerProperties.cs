using System.Globalization;
using CsCheck;
using TorchFacade.Conformance.Cases.Optimizers;

namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>
/// Property: for every optimizer the suite has an oracle for, over random options (learning rate, momentum,
/// dampening, nesterov, weight decay, maximize, betas, eps, amsgrad, lr_decay, initial accumulator, alpha, centered),
/// random parameter shapes (0-d included), a parameter without a grad and one whose grad is None on some steps, a
/// random number of steps and float32/float64, the reference optimizer's parameters and state after every step equal
/// the C# for-loop oracle in <see cref="double"/> (<see cref="OptimizerOracle"/>) — the same comparison as the
/// optimizers group, on drawn rather than listed configurations.
/// </summary>
internal sealed class OptimizerProperties : ICaseSource
{
    private static readonly Gen<double> Maybe0 = Gen.Frequency((2, Gen.Const(0.0)), (3, Gen.Double[0, 0.99]));

    private static readonly Gen<long[]> Shape = Gen.Int[1, 6].Select(n => (long)n).Array[0, 3];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (OptimizerKind kind in Enum.GetValues<OptimizerKind>())
        {
            foreach (string device in ConformanceDevices.All)
            {
                string name = new OptimizerSpec(kind).Name;
                string id = $"property/optimizer/{name}/{device}";
                Gen<OptimizerInput> inputs = Inputs(kind);
                yield return PropertyCheck.Case(
                    id,
                    device,
                    $"For random options, parameter shapes (0-d included, a parameter without a grad, grads that are None on some steps), step counts and float32/float64, the reference {name} matches PyTorch 2.x's update rule written out in double, parameters and state after every step.",
                    "reference vs the C# for-loop oracle (double), property-based (CsCheck)",
                    OptimizerCases.Float64Oracle,
                    inputs,
                    input => Failure(input, device),
                    Snippets(device));
            }
        }
    }

    /// <summary>The drawn inputs for <paramref name="kind"/>.</summary>
    /// <param name="kind">The optimizer.</param>
    /// <returns>The generator.</returns>
    internal static Gen<OptimizerInput> Inputs(OptimizerKind kind)
    {
        Gen<OptimizerSpec> specs =
            from lr in Gen.Double[1e-4, 0.5]
            from momentum in Maybe0
            from dampening in Gen.Frequency((3, Gen.Const(0.0)), (1, Gen.Double[0, 1]))
            from nesterov in Gen.Bool
            from weightDecay in Gen.Frequency((2, Gen.Const(0.0)), (1, Gen.Double[0, 0.1]))
            from maximize in Gen.Bool
            from beta1 in Gen.Double[0, 0.99]
            from beta2 in Gen.Double[0.5, 0.9999]
            from eps in Gen.Frequency((3, Gen.Const((double?)null)), (1, Gen.Double[1e-8, 1e-2].Select(e => (double?)e)))
            from amsgrad in Gen.Bool
            from lrDecay in Gen.Frequency((2, Gen.Const(0.0)), (1, Gen.Double[0, 0.5]))
            from initial in Gen.Frequency((2, Gen.Const(0.0)), (1, Gen.Double[0, 1]))
            from alpha in Gen.Double[0.5, 0.999]
            from centered in Gen.Bool
            select new OptimizerSpec(kind)
            {
                Lr = lr,
                Momentum = momentum,
                Dampening = nesterov ? 0 : dampening,
                Nesterov = nesterov && momentum > 0 && kind == OptimizerKind.SGD,
                WeightDecay = weightDecay,
                Maximize = maximize,
                Betas = (beta1, beta2),
                Eps = eps,
                Amsgrad = amsgrad,
                LrDecay = lrDecay,
                InitialAccumulatorValue = initial,
                Alpha = alpha,
                Centered = centered,
            };
        return from spec in specs
               from shapes in Shape.Array[1, 3]
               from frozen in Gen.Int[-1, shapes.Length - 1]
               from intermittent in Gen.Int[-1, shapes.Length - 1]
               from steps in Gen.Int[1, 12]
               from seed in Gen.Int[0, 1_000_000]
               from dtype in Gen.OneOf(torch.ScalarType.Float64, torch.ScalarType.Float32)
               select new OptimizerInput(spec, shapes, frozen, intermittent, steps, seed, dtype);
    }

    private static string? Failure(OptimizerInput input, string device)
    {
        Tolerance tolerance = input.DType == torch.ScalarType.Float64 ? OptimizerCases.Float64Oracle : OptimizerCases.Float32Trajectory;
        CaseResult result = OptimizerTrajectory.CompareWithOracle(input.Problem(), input.Spec, input.DType, ConformanceDevices.Of(device), input.Spec.CreateReference, tolerance, input.Steps);
        return result.Outcome == CaseOutcome.Passed ? null : result.Message + (result.FailingInputs.Count > 0 ? ": " + string.Join("; ", result.FailingInputs) : string.Empty);
    }

    private static PropertySnippets<OptimizerInput> Snippets(string device) => new(
        input => $"""
            var spec = {CSharpOf(input.Spec)};
            var problem = new OptimizerProblem({input.DataSeed}, {input.Steps}, [{string.Join(", ", input.Shapes.Select(PropertyCode.CSharpShape))}], frozen: {input.Frozen}, intermittent: {input.Intermittent});
            CaseResult r = OptimizerTrajectory.CompareWithOracle(problem, spec, {PropertyCode.CSharpDType(input.DType)}, torch.{(device == "cpu" ? "CPU" : "CUDA")}, spec.CreateReference,
                OptimizerCases.{(input.DType == torch.ScalarType.Float64 ? "Float64Oracle" : "Float32Trajectory")}, steps: {input.Steps});
            """,
        input => Python(input, device));

    private static string CSharpOf(OptimizerSpec s)
    {
        var parts = new List<string> { $"Lr = {PropertyCode.CSharp(s.LrValue)}" };
        void Add(bool when, string text)
        {
            if (when)
            {
                parts.Add(text);
            }
        }

        Add(s.Momentum != 0, $"Momentum = {PropertyCode.CSharp(s.Momentum)}");
        Add(s.Dampening != 0, $"Dampening = {PropertyCode.CSharp(s.Dampening)}");
        Add(s.Nesterov, "Nesterov = true");
        Add(s.WeightDecay is not null, $"WeightDecay = {PropertyCode.CSharp(s.WeightDecayValue)}");
        Add(s.Maximize, "Maximize = true");
        Add(s.Betas != (0.9, 0.999), $"Betas = ({PropertyCode.CSharp(s.Betas.Beta1)}, {PropertyCode.CSharp(s.Betas.Beta2)})");
        Add(s.Eps is not null, $"Eps = {PropertyCode.CSharp(s.EpsValue)}");
        Add(s.Amsgrad, "Amsgrad = true");
        Add(s.LrDecay != 0, $"LrDecay = {PropertyCode.CSharp(s.LrDecay)}");
        Add(s.InitialAccumulatorValue != 0, $"InitialAccumulatorValue = {PropertyCode.CSharp(s.InitialAccumulatorValue)}");
        Add(s.Alpha != 0.99, $"Alpha = {PropertyCode.CSharp(s.Alpha)}");
        Add(s.Centered, "Centered = true");
        return $"new OptimizerSpec(OptimizerKind.{s.Kind}) {{ {string.Join(", ", parts)} }}";
    }

    private static string PythonOptions(OptimizerSpec s)
    {
        string F(double v) => PropertyCode.Python(v);
        string B(bool v) => v ? "True" : "False";
        string common = $"lr={F(s.LrValue)}, weight_decay={F(s.WeightDecayValue)}, maximize={B(s.Maximize)}";
        return s.Kind switch
        {
            OptimizerKind.SGD => $"torch.optim.SGD(params, {common}, momentum={F(s.Momentum)}, dampening={F(s.Dampening)}, nesterov={B(s.Nesterov)})",
            OptimizerKind.Adagrad => $"torch.optim.Adagrad(params, {common}, lr_decay={F(s.LrDecay)}, initial_accumulator_value={F(s.InitialAccumulatorValue)}, eps={F(s.EpsValue)})",
            OptimizerKind.RMSprop => $"torch.optim.RMSprop(params, {common}, alpha={F(s.Alpha)}, eps={F(s.EpsValue)}, momentum={F(s.Momentum)}, centered={B(s.Centered)})",
            OptimizerKind.Adam or OptimizerKind.AdamW => $"torch.optim.{s.Kind}(params, {common}, betas=({F(s.Betas.Beta1)}, {F(s.Betas.Beta2)}), eps={F(s.EpsValue)}, amsgrad={B(s.Amsgrad)})",
            _ => $"torch.optim.{s.Kind}(params, {common})",
        };
    }

    /// <summary>The input as a PyTorch 2.x script (the reproducing snippet of a failure).</summary>
    /// <param name="input">The input.</param>
    /// <param name="device">The device's name.</param>
    /// <returns>Python source.</returns>
    internal static string Python(OptimizerInput input, string device) =>
        input.Problem().PythonScript(PythonOptions(input.Spec), input.DType, device);
}
