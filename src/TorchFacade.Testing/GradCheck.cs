using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Testing;

/// <summary>
/// A finite-difference gradient check in float64, like <c>torch.autograd.gradcheck</c>: the Jacobian that autograd
/// computes (one backward per output element) is compared entry by entry with central differences
/// (f(x + eps) − f(x − eps)) / 2eps, and passes when |analytic − numerical| ≤ atol + rtol·|numerical|.
/// Defaults are PyTorch's: eps 1e-6, atol 1e-5, rtol 1e-3. Only inputs with <c>requires_grad</c> are checked. Works for
/// custom <see cref="AutogradFunction{TSelf}"/>s; <see cref="GradGradCheck"/> checks second order.
/// Meant for small inputs (the cost is two forwards per input element and one backward per output element).
/// </summary>
public static class GradCheck
{
    /// <summary>PyTorch's default perturbation.</summary>
    public const double DefaultEps = 1e-6;

    /// <summary>PyTorch's default absolute tolerance.</summary>
    public const double DefaultAtol = 1e-5;

    /// <summary>PyTorch's default relative tolerance.</summary>
    public const double DefaultRtol = 1e-3;

    /// <summary>Checks the gradient of a one-input function.</summary>
    /// <param name="function">The function; it must be differentiable by autograd and return one float64 tensor.</param>
    /// <param name="input">A float64 tensor with <c>requires_grad</c> set.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <returns>The comparison's figures.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The input is not float64 or does not require grad; eps is not positive; the output is not float64.</exception>
    public static GradCheckResult Run(Func<Tensor, Tensor> function, Tensor input, double eps = DefaultEps, double atol = DefaultAtol, double rtol = DefaultRtol)
    {
        TestingChecks.ThrowIfNull(function, "GradCheck");
        return Run(xs => function(xs[0]), [input], eps, atol, rtol);
    }

    /// <summary>Checks the gradients of a function of several inputs (e.g. an input and a weight).</summary>
    /// <param name="function">The function of the inputs, in order; returns one float64 tensor.</param>
    /// <param name="inputs">Float64 tensors; those with <c>requires_grad</c> are checked (at least one).</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <returns>The comparison's figures.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An input is not float64, none requires grad, eps is not positive, or the output is not float64.</exception>
    public static GradCheckResult Run(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = DefaultEps, double atol = DefaultAtol, double rtol = DefaultRtol)
    {
        TestingChecks.ThrowIfNull(function, "GradCheck");
        TestingChecks.ThrowIfNull(inputs, "GradCheck");
        if (!(eps > 0) || !(atol >= 0) || !(rtol >= 0))
        {
            throw new ArgumentException($"GradCheck: needs eps > 0 and non-negative tolerances, but got eps={eps}, atol={atol}, rtol={rtol}; pass eps > 0, atol >= 0 and rtol >= 0.");
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            TestingChecks.ThrowIfNullOrDisposed(inputs[i], "GradCheck", $"inputs[{i}]");
            if (inputs[i].dtype != ScalarType.Float64)
            {
                throw new ArgumentException($"GradCheck: runs in float64 (like torch.autograd.gradcheck), but input {i} is {inputs[i].dtype}; convert it with .to(torch.float64).");
            }
        }

        int[] checkedInputs = Enumerable.Range(0, inputs.Length).Where(i => inputs[i].requires_grad).ToArray();
        if (checkedInputs.Length == 0)
        {
            throw new ArgumentException("GradCheck: none of the inputs requires grad, so there is no gradient to check; set requires_grad = true on at least one input.");
        }

        using var scope = NewDisposeScope();
        Tensor[] xs = inputs.Select(x => x.detach().clone().contiguous()).ToArray();

        // Numerical Jacobian first (no graph), column by column: d out / d x_k.
        var numerical = new List<double[][]>();
        long outCount = -1;
        using (no_grad())
        {
            foreach (int i in checkedInputs)
            {
                Tensor flat = xs[i].view(-1);
                var columns = new double[flat.numel()][];
                for (long k = 0; k < flat.numel(); k++)
                {
                    double original = flat[k].ToDouble();
                    flat[k] = tensor(original + eps, ScalarType.Float64);
                    double[] plus = Evaluate(function, xs, ref outCount);
                    flat[k] = tensor(original - eps, ScalarType.Float64);
                    double[] minus = Evaluate(function, xs, ref outCount);
                    flat[k] = tensor(original, ScalarType.Float64);
                    columns[k] = plus.Zip(minus, (p, m) => (p - m) / (2 * eps)).ToArray();
                }

                numerical.Add(columns);
            }
        }

        // Analytic Jacobian, row by row: one vector-Jacobian product per output element.
        Tensor[] leaves = xs.Select((x, i) => inputs[i].requires_grad ? x.detach().requires_grad_(true) : x).ToArray();
        Tensor y = function(leaves);
        if (y.dtype != ScalarType.Float64)
        {
            throw new ArgumentException($"GradCheck: needs a float64 output, but the function returned {y.dtype}; compute in float64 (the inputs are float64).");
        }

        Tensor[] wrt = checkedInputs.Select(i => leaves[i]).ToArray();
        long outputs = y.numel();
        double maxAbs = 0, maxRel = 0;
        long entries = 0;
        string? first = null;
        for (long j = 0; j < outputs; j++)
        {
            Tensor onehot = zeros_like(y);
            onehot.view(-1)[j] = tensor(1.0, ScalarType.Float64);
            // The facade's Grad: errors (a custom function's wrong gradient, an exception in a backward) are exceptions,
            // where TorchSharp's autograd.grad would abort the process.
            Tensor?[] grads = y.requires_grad
                ? Torch.Autograd.Grad([y], wrt, [onehot], retainGraph: true, allowUnused: true)
                : new Tensor?[wrt.Length];
            for (int c = 0; c < checkedInputs.Length; c++)
            {
                double[] row = grads[c] is { IsInvalid: false } gr ? Doubles(gr) : new double[wrt[c].numel()];
                for (int k = 0; k < row.Length; k++)
                {
                    double analytic = row[k];
                    double numeric = numerical[c][k][j];
                    double abs = Math.Abs(analytic - numeric);
                    entries++;
                    if (double.IsNaN(abs) || abs > atol + (rtol * Math.Abs(numeric)))
                    {
                        first ??= string.Create(CultureInfo.InvariantCulture, $"input {checkedInputs[c]}, element {k}, output element {j}: analytic {analytic:R} vs numerical {numeric:R} (allowed {atol + (rtol * Math.Abs(numeric)):G3})");
                    }

                    if (!double.IsNaN(abs))
                    {
                        maxAbs = Math.Max(maxAbs, abs);
                        if (numeric != 0)
                        {
                            maxRel = Math.Max(maxRel, abs / Math.Abs(numeric));
                        }
                    }
                }
            }
        }

        return new GradCheckResult(first is null, maxAbs, maxRel, entries, first);
    }

    /// <summary>Like <see cref="Run(Func{Tensor, Tensor}, Tensor, double, double, double)"/>, but throws when the check fails.</summary>
    /// <param name="function">The function.</param>
    /// <param name="input">A float64 tensor with <c>requires_grad</c> set.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <returns>The figures of the passing check.</returns>
    /// <exception cref="GradCheckException">An analytic Jacobian entry differs from the numerical one beyond the tolerance.</exception>
    /// <exception cref="ArgumentException">See <see cref="Run(Func{Tensor, Tensor}, Tensor, double, double, double)"/>.</exception>
    public static GradCheckResult Assert(Func<Tensor, Tensor> function, Tensor input, double eps = DefaultEps, double atol = DefaultAtol, double rtol = DefaultRtol)
    {
        GradCheckResult result = Run(function, input, eps, atol, rtol);
        return result.Passed ? result : throw new GradCheckException("Jacobian mismatch: " + result.FirstMismatch);
    }

    private static double[] Evaluate(Func<Tensor[], Tensor> function, Tensor[] xs, ref long outCount)
    {
        using Tensor y = function(xs);
        double[] values = Doubles(y);
        if (outCount >= 0 && values.Length != outCount)
        {
            throw new ArgumentException($"GradCheck: the function's output changed size between evaluations ({outCount} then {values.Length}).");
        }

        outCount = values.Length;
        return values;
    }

    private static double[] Doubles(Tensor t)
    {
        if (t.numel() == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope(); // the intermediate copies are disposed with it
        return t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }
}
