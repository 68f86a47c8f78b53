using FluentAssertions;
using TorchFacade.Conformance;
using TorchFacade.Conformance.Cases.Optimizers;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>
/// The seven newer reference optimizers (NAdam, RAdam, Adamax, Adadelta, ASGD, Rprop, LBFGS) against the C# for-loop
/// double oracles (<see cref="LoopOracle"/>, shared with the conformance suite's properties, and <see cref="LbfgsLoopOracle"/>), float64, parameters and every state
/// buffer compared after every step, on the fused CPU pass and on the tensor-op path. Tolerance: 1e-10 relative,
/// 1e-12 absolute — the oracle uses the textbook form (no FMA, bias corrections where the paper puts them), so the two
/// differ by rounding only, a few ulp per step compounded over 30 steps (observed: well inside).
/// </summary>
public class LoopOracleTests
{
    private const int Steps = 30;
    private const double Rtol = 1e-10;
    private const double Atol = 1e-12;
    private static readonly int[] Sizes = [7, 12, 1];

    public static TheoryData<string, string> Configs()
    {
        var data = new TheoryData<string, string>();
        foreach ((string name, string options) in ConfigList)
        {
            data.Add(name, options);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void FusedAndTensorOpPathsFollowTheOracleEveryStep(string name, string options)
    {
        Dictionary<string, double> o = Parse(options);
        foreach (UpdatePath path in new[] { UpdatePath.Auto, UpdatePath.TensorOps })
        {
            (torch.Tensor[] ps, double[][] a, double[][] b) = Problem();
            double[][] oracleP = ps.Select(p => p.data<double>().ToArray()).ToArray();
            using ReferenceOptimizer opt = NewerOptimizers.Create(name, ps, o);
            opt.Path = path;
            var oracle = new LoopOracle(name, o);
            for (int t = 0; t < Steps; t++)
            {
                double c = Math.Sin(0.7 * t) + 0.3;
                var grads = new double[]?[ps.Length];
                for (int k = 0; k < ps.Length; k++)
                {
                    // Parameter 2 has a null grad every third step: skipped, no state change, its step count does not advance.
                    if (k == 2 && t % 3 == 1)
                    {
                        ps[k].grad = null;
                        continue;
                    }

                    double[] pk = ps[k].data<double>().ToArray();
                    grads[k] = pk.Select((v, i) => (a[k][i] * v) + (c * b[k][i])).ToArray();
                    ps[k].grad = torch.tensor(grads[k]!);
                }

                opt.Step();
                oracle.Step(oracleP, grads);
                for (int k = 0; k < ps.Length; k++)
                {
                    string where = $"{name} {options} ({path}), step {t + 1}, parameter {k}";
                    Close(ps[k].data<double>().ToArray(), oracleP[k], where);
                    IReadOnlyDictionary<string, torch.Tensor> actual = opt.StateOf(ps[k]);
                    foreach ((string key, double[] expected) in oracle.StateOf(k) ?? new Dictionary<string, double[]>())
                    {
                        // NAdam's mu_product and ASGD's eta and mu are float32 0-d tensors, as in PyTorch; the oracle rounds them the same way.
                        actual.Should().ContainKey(key, where);
                        Close(Compare.ToDoubles(actual[key]), expected, $"{where}, state '{key}'");
                    }

                    if (actual.TryGetValue("step", out torch.Tensor? stepCount))
                    {
                        stepCount.item<float>().Should().Be(oracle.StepOf(k), where);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1.0, 20, null, 100)]
    [InlineData(0.5, 5, null, 2)]
    [InlineData(0.1, 3, null, 100)]
    [InlineData(1.0, 20, 10, 5)]
    public void LbfgsWithoutLineSearchFollowsTheOracle(double lr, int maxIter, int? maxEval, int history)
    {
        double[] a = [3.0, 0.5, 1.5, 2.0, 0.8], c = [1.0, -2.0, 0.5, 0.25, -1.5];
        torch.Tensor p = torch.tensor(new double[] { 0.3, 1.2, -0.7, 2.0, 0.1 }).requires_grad_(true);
        double[] x = p.data<double>().ToArray();
        using var opt = new LBFGS([p], lr: lr, maxIter: maxIter, maxEval: maxEval, historySize: history);
        var oracle = new LbfgsLoopOracle(lr, maxIter, maxEval, 1e-7, 1e-9, history);
        torch.Tensor ta = torch.tensor(a), tc = torch.tensor(c);
        torch.Tensor Closure()
        {
            opt.ZeroGrad();
            torch.Tensor loss = ((p - tc).pow(2) * ta).sum() + (0.05 * p.pow(4).sum());
            loss.backward();
            return loss;
        }

        (double, double[]) OracleClosure(double[] v) =>
            (v.Select((vi, i) => (a[i] * (vi - c[i]) * (vi - c[i])) + (0.05 * vi * vi * vi * vi)).Sum(),
             v.Select((vi, i) => (2 * a[i] * (vi - c[i])) + (0.2 * vi * vi * vi)).ToArray());

        for (int step = 0; step < 4; step++)
        {
            double loss = opt.Step(Closure)!.item<double>();
            double expectedLoss = oracle.Step(x, OracleClosure);
            string where = $"LBFGS lr={lr} max_iter={maxIter} max_eval={maxEval} history={history}, step {step + 1}";
            Close([loss], [expectedLoss], where + " loss");
            Close(p.data<double>().ToArray(), x, where);
            IReadOnlyDictionary<string, object?> state = opt.StateDict().State[0];
            ((long)state["func_evals"]!).Should().Be(oracle.FuncEvals, where);
            ((long)state["n_iter"]!).Should().Be(oracle.NIter, where);
        }
    }

    private static IEnumerable<(string Name, string Options)> ConfigList =>
    [
        ("NAdam", ""), ("NAdam", "weight_decay=0.05"), ("NAdam", "weight_decay=0.05,decoupled_weight_decay=1"),
        ("NAdam", "maximize=1,lr=0.01"), ("NAdam", "momentum_decay=0.05,beta1=0.8,beta2=0.99"),
        ("RAdam", ""), ("RAdam", "weight_decay=0.05"), ("RAdam", "weight_decay=0.05,decoupled_weight_decay=1,lr=0.01"),
        ("RAdam", "maximize=1"), ("RAdam", "beta1=0.5,beta2=0.9,eps=1e-3"),
        ("Adamax", ""), ("Adamax", "weight_decay=0.05"), ("Adamax", "maximize=1,lr=0.02"), ("Adamax", "beta1=0.7,beta2=0.9,eps=1e-3"),
        ("Adadelta", ""), ("Adadelta", "lr=0.5,rho=0.5"), ("Adadelta", "weight_decay=0.05,eps=1e-3"), ("Adadelta", "maximize=1"),
        ("ASGD", ""), ("ASGD", "t0=5,lambd=0.01,alpha=0.5"), ("ASGD", "t0=3,weight_decay=0.05,lr=0.05"), ("ASGD", "maximize=1,t0=10"),
        ("Rprop", ""), ("Rprop", "etaminus=0.3,etaplus=1.5"), ("Rprop", "min_step=1e-4,max_step=0.05,lr=0.1"), ("Rprop", "maximize=1"),
    ];

    private static Dictionary<string, double> Parse(string options) =>
        options.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('='))
            .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static (torch.Tensor[] Ps, double[][] A, double[][] B) Problem()
    {
        var rng = new Random(12);
        var ps = new torch.Tensor[Sizes.Length];
        var a = new double[Sizes.Length][];
        var b = new double[Sizes.Length][];
        for (int k = 0; k < Sizes.Length; k++)
        {
            ps[k] = torch.tensor(Enumerable.Range(0, Sizes[k]).Select(_ => (rng.NextDouble() * 4) - 2).ToArray()).requires_grad_(true);
            a[k] = Enumerable.Range(0, Sizes[k]).Select(_ => 0.5 + rng.NextDouble()).ToArray();
            b[k] = Enumerable.Range(0, Sizes[k]).Select(_ => rng.NextDouble() - 0.5).ToArray();
        }

        return (ps, a, b);
    }

    private static void Close(double[] actual, double[] expected, string where)
    {
        actual.Length.Should().Be(expected.Length, where);
        for (int i = 0; i < actual.Length; i++)
        {
            double bound = Atol + (Rtol * Math.Abs(expected[i]));
            Math.Abs(actual[i] - expected[i]).Should().BeLessThanOrEqualTo(bound, $"{where}, element {i}: {actual[i]:R} vs oracle {expected[i]:R}");
        }
    }
}
