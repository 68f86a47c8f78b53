using System.Text.Json;
using CsCheck;
using Size = CsCheck.Size;
using FluentAssertions;
using TorchFacade.Conformance.Cases.Optimizers;
using TorchFacade.Conformance.Cases.Properties;
using TorchFacade.TestSupport;
using TorchSharp;
using Xunit;

namespace TorchFacade.Conformance.Tests.Properties;

/// <summary>
/// The properties compare the reference optimizers with C# for-loop oracles; these tests close the loop with PyTorch
/// itself where it is installed. For inputs drawn from the properties' own generators (fixed seeds; 40 per optimizer,
/// 80 for LBFGS, a few seconds in one Python process), the reproducing
/// Python script a failing property would print is run by PyTorch 2.6, and the reference optimizer's final parameters
/// (LBFGS: also its last loss, func_evals and n_iter) must equal PyTorch's. This checks the scripts (a user pasting one
/// gets PyTorch's truth for that input) and the reference against PyTorch on configurations no golden file lists.
/// Tolerances: float64 rtol 1e-9 / atol 1e-11 (LibTorch's and the fused pass's operation order and FMA differ by an ulp
/// or so per operation, compounded over at most 20 steps); float32 rtol 1e-4 / atol 1e-5 (the same in float32).
/// </summary>
public sealed class PropertyScriptsInPyTorchTests
{
    private const string Driver = """
        import contextlib, io, json, sys
        for script in json.load(open(sys.argv[1])):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(script, {})
            print([line for line in out.getvalue().splitlines() if line.startswith("FINAL ")][-1])
        """;

    [TorchPythonFact]
    public void The_six_newer_optimizers_match_PyTorch_on_drawn_inputs()
    {
        var inputs = new List<LoopOracleInput>();
        for (int n = 0; n < NewerOptimizers.Names.Count; n++)
        {
            var pcg = new PCG(1, 20261204UL + (ulong)n);
            for (int i = 0; i < 40; i++)
            {
                inputs.Add(LoopOracleProperties.Inputs(NewerOptimizers.Names[n]).Generate(pcg, null, out _));
            }
        }

        IReadOnlyList<JsonElement> finals = RunInPyTorch(inputs.Select(i =>
            LoopOracleProperties.Python(i, "cpu") + "\nimport json\nprint('FINAL', json.dumps([p.tolist() for p in params]))"));

        for (int k = 0; k < inputs.Count; k++)
        {
            LoopOracleInput input = inputs[k];
            double[] actual = FinalParameters(input.Problem(), input.DType, LoopOracleProperties.Create(input), input.Steps);
            Close(actual, Flatten(finals[k]).ToArray(), input.DType, $"{input.Name} {string.Join(",", input.Options.Select(o => $"{o.Key}={o.Value:R}"))} {input.DType} {input.Path}, {input.Steps} steps, seed {input.DataSeed}");
        }
    }

    [TorchPythonFact]
    public void The_first_five_optimizers_match_PyTorch_on_drawn_inputs()
    {
        var inputs = new List<OptimizerInput>();
        foreach (OptimizerKind kind in Enum.GetValues<OptimizerKind>())
        {
            var pcg = new PCG(1, 20261205UL + (ulong)kind);
            for (int i = 0; i < 40; i++)
            {
                inputs.Add(OptimizerProperties.Inputs(kind).Generate(pcg, null, out Size _));
            }
        }

        IReadOnlyList<JsonElement> finals = RunInPyTorch(inputs.Select(i =>
            OptimizerProperties.Python(i, "cpu") + "\nimport json\nprint('FINAL', json.dumps([p.tolist() for p in params]))"));

        for (int k = 0; k < inputs.Count; k++)
        {
            OptimizerInput input = inputs[k];
            double[] actual = FinalParameters(input.Problem(), input.DType, input.Spec.CreateReference, input.Steps);
            Close(actual, Flatten(finals[k]).ToArray(), input.DType, $"{input.Spec.Name} {input.Spec.Label} {input.DType}, {input.Steps} steps, seed {input.DataSeed}");
        }
    }

    [TorchPythonFact]
    public void LBFGS_matches_PyTorch_on_drawn_inputs()
    {
        var pcg = new PCG(1, 20261204UL);
        LbfgsInput[] inputs = Enumerable.Range(0, 80).Select(i => LbfgsProperties.Inputs.Generate(pcg, null, out Size _)).ToArray();

        IReadOnlyList<JsonElement> finals = RunInPyTorch(inputs.Select(i => LbfgsProperties.Python(i, "cpu")
            + "\nimport json\nprint('FINAL', json.dumps({'loss': loss.item(), 'params': [p.tolist() for p in params], 'evals': s['func_evals'], 'iters': s['n_iter']}))"));

        for (int k = 0; k < inputs.Length; k++)
        {
            (double loss, double[] parameters, long evals, long iters) = LbfgsProperties.RunReference(inputs[k], torch.CPU)[^1];
            string where = $"{inputs[k]}";
            evals.Should().Be(finals[k].GetProperty("evals").GetInt64(), where);
            iters.Should().Be(finals[k].GetProperty("iters").GetInt64(), where);
            Close([loss], [finals[k].GetProperty("loss").GetDouble()], torch.ScalarType.Float64, where + ", loss");
            Close(parameters, Flatten(finals[k].GetProperty("params")).ToArray(), torch.ScalarType.Float64, where);
        }
    }

    /// <summary>The reference optimizer's parameters after <paramref name="steps"/> steps on <paramref name="problem"/>, flattened.</summary>
    private static double[] FinalParameters(OptimizerProblem problem, torch.ScalarType dtype, Func<torch.Tensor[], TorchFacade.Optim.Optimizer> create, int steps)
    {
        torch.Tensor[] ps = problem.CreateParameters(dtype, torch.CPU);
        using (TorchFacade.Optim.Optimizer opt = create(ps))
        {
            for (int step = 0; step < steps; step++)
            {
                problem.SetGrads(ps, step);
                opt.Step();
            }
        }

        return ps.SelectMany(Compare.ToDoubles).ToArray();
    }

    private static IReadOnlyList<JsonElement> RunInPyTorch(IEnumerable<string> scripts)
    {
        string[] all = scripts.ToArray();
        string file = Path.Combine(Path.GetTempPath(), $"torchfacade-scripts-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(all));
        try
        {
            (int code, string output) = TorchPython.Run(Driver, file);
            code.Should().Be(0, output);
            string[] lines = output.Split('\n').Where(l => l.StartsWith("FINAL ", StringComparison.Ordinal)).ToArray();
            lines.Should().HaveCount(all.Length, output);
            return lines.Select(l => JsonDocument.Parse(l["FINAL ".Length..]).RootElement.Clone()).ToArray();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static IEnumerable<double> Flatten(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flatten) : [e.GetDouble()];

    private static void Close(double[] actual, double[] expected, torch.ScalarType dtype, string where)
    {
        (double rtol, double atol) = dtype == torch.ScalarType.Float64 ? (1e-9, 1e-11) : (1e-4, 1e-5);
        actual.Length.Should().Be(expected.Length, where);
        for (int i = 0; i < actual.Length; i++)
        {
            Math.Abs(actual[i] - expected[i]).Should().BeLessThanOrEqualTo(atol + (rtol * Math.Abs(expected[i])), $"{where}, element {i}: reference {actual[i]:R}, PyTorch {expected[i]:R}");
        }
    }
}
