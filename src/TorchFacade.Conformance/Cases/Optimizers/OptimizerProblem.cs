using System.Globalization;
using TorchFacade.Conformance.Cases.Properties;

namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// A seeded stochastic problem for optimizer comparisons, shaped like PyTorch's <c>test_optim.py</c> checks: several
/// parameters of different shapes (a matrix, a vector whose length is not a multiple of the vector width, a 3-d tensor,
/// a 0-d scalar), one that never gets a gradient, and one whose gradient is null on every fourth step. The gradient of
/// element i at step k is <c>a_i·(p_i − c_i) + ξ_ki</c>: a noisy quadratic whose noise changes sign, so second moments
/// also shrink (AMSGrad's maximum matters).
/// </summary>
internal sealed class OptimizerProblem
{
    /// <summary>The parameter shapes of the standard problem; index <see cref="FrozenIndex"/> never gets a grad.</summary>
    public static readonly long[][] StandardShapes = [[5, 3], [37], [2, 3, 4], [], [4]];

    /// <summary>The parameter of the standard problem that never gets a gradient.</summary>
    public const int FrozenIndex = 4;

    /// <summary>The parameter of the standard problem whose gradient is null on steps 1, 5, 9, ... (1-based).</summary>
    public const int IntermittentIndex = 2;

    private readonly double[][] curvature;
    private readonly double[][] center;
    private readonly double[][][] noise;

    /// <summary>Creates the standard problem (<see cref="StandardShapes"/>).</summary>
    /// <param name="seed">Seed for initial values, curvatures, centers and noise.</param>
    /// <param name="steps">How many steps of noise to draw.</param>
    public OptimizerProblem(int seed, int steps)
        : this(seed, steps, StandardShapes, FrozenIndex, IntermittentIndex)
    {
    }

    /// <summary>Creates a problem over parameters of the given shapes.</summary>
    /// <param name="seed">Seed for initial values, curvatures, centers and noise.</param>
    /// <param name="steps">How many steps of noise to draw.</param>
    /// <param name="shapes">The parameter shapes.</param>
    /// <param name="frozen">The parameter that never gets a gradient, or -1 for none.</param>
    /// <param name="intermittent">The parameter whose gradient is null on steps 1, 5, 9, ..., or -1 for none.</param>
    public OptimizerProblem(int seed, int steps, long[][] shapes, int frozen, int intermittent)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        Shapes = shapes;
        Frozen = frozen;
        Intermittent = intermittent;
        var random = new Random(seed);
        int n = Shapes.Count;
        Initial = new double[n][];
        curvature = new double[n][];
        center = new double[n][];
        noise = new double[steps][][];
        for (int k = 0; k < n; k++)
        {
            int count = (int)Shapes[k].Aggregate(1L, (a, b) => a * b);
            Initial[k] = Draw(random, count, -2, 2);
            curvature[k] = Draw(random, count, 0.5, 2);
            center[k] = Draw(random, count, -1, 1);
        }

        for (int s = 0; s < steps; s++)
        {
            noise[s] = Shapes.Select(shape => Draw(random, (int)shape.Aggregate(1L, (a, b) => a * b), -0.5, 0.5)).ToArray();
        }
    }

    /// <summary>The parameter shapes.</summary>
    public IReadOnlyList<long[]> Shapes { get; }

    /// <summary>The parameter that never gets a gradient (-1: none).</summary>
    public int Frozen { get; }

    /// <summary>The parameter whose gradient is null on steps 1, 5, 9, ... (-1: none).</summary>
    public int Intermittent { get; }

    /// <summary>Initial values of every parameter.</summary>
    public double[][] Initial { get; }

    /// <summary>The curvature a of every element (the gradient is a·(p − c) + ξ).</summary>
    internal double[][] Curvature => curvature;

    /// <summary>The center c of every element.</summary>
    internal double[][] Center => center;

    /// <summary>The noise ξ of every step and element.</summary>
    internal double[][][] Noise => noise;

    /// <summary>Number of steps the problem has noise for.</summary>
    public int Steps => noise.Length;

    /// <summary>Whether parameter <paramref name="index"/> has a gradient at (0-based) step <paramref name="step"/>.</summary>
    /// <param name="index">Parameter.</param>
    /// <param name="step">Step, 0-based.</param>
    /// <returns>True when it gets a gradient.</returns>
    public bool HasGrad(int index, int step) => index != Frozen && !(index == Intermittent && step % 4 == 0);

    /// <summary>Fresh leaf tensors holding the initial values.</summary>
    /// <param name="dtype">float32 or float64.</param>
    /// <param name="device">The device.</param>
    /// <returns>The parameters.</returns>
    public torch.Tensor[] CreateParameters(torch.ScalarType dtype, torch.Device device) =>
        Initial.Select((v, k) => torch.tensor(v, dtype: torch.ScalarType.Float64).reshape(Shapes[k]).to(dtype, device).requires_grad_(true)).ToArray();

    /// <summary>Sets every parameter's <c>grad</c> for step <paramref name="step"/> (null where the problem says so), computed in the parameter's dtype.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="step">Step, 0-based.</param>
    public void SetGrads(IReadOnlyList<torch.Tensor> parameters, int step)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var noGrad = torch.no_grad();
        for (int k = 0; k < parameters.Count; k++)
        {
            torch.Tensor p = parameters[k];
            if (!HasGrad(k, step))
            {
                p.grad = null;
                continue;
            }

            torch.Tensor Const(double[] values) => torch.tensor(values, dtype: torch.ScalarType.Float64).reshape(Shapes[k]).to(p.dtype, p.device);
            p.grad = Const(curvature[k]).mul(p.detach().sub(Const(center[k]))).add_(Const(noise[step][k]));
        }
    }

    /// <summary>The gradients of step <paramref name="step"/> in <see cref="double"/> for the oracle (null where the problem says so).</summary>
    /// <param name="values">The current parameter values.</param>
    /// <param name="step">Step, 0-based.</param>
    /// <returns>The gradients.</returns>
    public double[]?[] Grads(IReadOnlyList<double[]> values, int step)
    {
        ArgumentNullException.ThrowIfNull(values);
        var grads = new double[]?[values.Count];
        for (int k = 0; k < values.Count; k++)
        {
            if (HasGrad(k, step))
            {
                grads[k] = values[k].Select((x, i) => (curvature[k][i] * (x - center[k][i])) + noise[step][k][i]).ToArray();
            }
        }

        return grads;
    }

    /// <summary>
    /// This problem as a PyTorch 2.x script: the parameters, curvatures, centers and noise as tensors of
    /// <paramref name="dtype"/> on <paramref name="device"/>, <paramref name="constructor"/> over them, and the steps, each
    /// printing the parameters and the optimizer's state (the reproducing snippet of a failing property).
    /// </summary>
    /// <param name="constructor">The optimizer's constructor over a list named <c>params</c>, e.g. <c>torch.optim.Adam(params, lr=0.001)</c>.</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="device">The device's name.</param>
    /// <returns>Python source.</returns>
    public string PythonScript(string constructor, torch.ScalarType dtype, string device)
    {
        string type = PropertyCode.PythonDType(dtype);
        string Tensor(double[] values, long[] shape) =>
            $"torch.tensor({PropertyCode.PythonList(values)}, dtype=torch.float64).reshape({PropertyCode.PythonShape(shape)}).to({type}).to('{device}')";
        var lines = new List<string>
        {
            "import torch",
            "params = [" + string.Join(", ", Initial.Select((v, k) => Tensor(v, Shapes[k]) + ".requires_grad_()")) + "]",
            "a = [" + string.Join(", ", curvature.Select((v, k) => Tensor(v, Shapes[k]))) + "]",
            "c = [" + string.Join(", ", center.Select((v, k) => Tensor(v, Shapes[k]))) + "]",
            "noise = [[" + string.Join("], [", noise.Select(step => string.Join(", ", step.Select((v, k) => Tensor(v, Shapes[k]))))) + "]]",
            "opt = " + constructor,
            $"for step in range({Steps.ToString(CultureInfo.InvariantCulture)}):",
            "    for k, p in enumerate(params):",
            $"        if k == {Frozen} or (k == {Intermittent} and step % 4 == 0):",
            "            p.grad = None",
            "        else:",
            "            p.grad = a[k] * (p.detach() - c[k]) + noise[step][k]",
            "    opt.step()",
            "    print(step + 1, [p.tolist() for p in params], [{n: v.tolist() for n, v in opt.state[p].items()} for p in params])",
        };
        return string.Join('\n', lines);
    }

    private static double[] Draw(Random random, int count, double low, double high)
    {
        var a = new double[count];
        for (int i = 0; i < count; i++)
        {
            a[i] = low + ((high - low) * random.NextDouble());
        }

        return a;
    }
}
