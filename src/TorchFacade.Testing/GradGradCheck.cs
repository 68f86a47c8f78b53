using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Testing;

/// <summary>
/// A second-order gradient check in float64, like <c>torch.autograd.gradgradcheck</c>: the vector-Jacobian product
/// (x, v) ↦ vᵀ·∂f/∂x, computed by autograd with <c>createGraph</c>, is itself checked with <see cref="GradCheck"/>
/// against central differences, with respect to the inputs that require grad and to v. So it passes only when the
/// backward of <c>f</c> is itself correctly differentiable (second derivatives and the backward's dependence on the
/// incoming gradient). Works for any function autograd can differentiate twice, custom
/// <see cref="AutogradFunction{TSelf}"/>s included. Defaults are PyTorch's (eps 1e-6, atol 1e-5, rtol 1e-3).
/// </summary>
public static class GradGradCheck
{
    /// <summary>Checks the second-order gradients of a one-input function.</summary>
    /// <param name="function">The function; it must return one float64 tensor and be twice differentiable by autograd.</param>
    /// <param name="input">A float64 tensor with <c>requires_grad</c> set.</param>
    /// <param name="gradOutput">v, the gradient w.r.t. the output (its shape); <see langword="null"/> draws one from
    /// U(−1, 1) with <paramref name="seed"/> and checks it too, as PyTorch does (v is checked when it requires grad).</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="seed">The seed of the drawn <paramref name="gradOutput"/>.</param>
    /// <returns>The comparison's figures (entries of the Jacobian of the vector-Jacobian product).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">As <see cref="GradCheck.Run(Func{Tensor, Tensor}, Tensor, double, double, double)"/>; or <paramref name="gradOutput"/> does not have the output's shape.</exception>
    public static GradCheckResult Run(Func<Tensor, Tensor> function, Tensor input, Tensor? gradOutput = null, double eps = GradCheck.DefaultEps, double atol = GradCheck.DefaultAtol, double rtol = GradCheck.DefaultRtol, long seed = 0)
    {
        TestingChecks.ThrowIfNull(function, "GradGradCheck");
        return Run(xs => function(xs[0]), [input], gradOutput, eps, atol, rtol, seed);
    }

    /// <summary>Checks the second-order gradients of a function of several inputs.</summary>
    /// <param name="function">The function of the inputs, in order; returns one float64 tensor.</param>
    /// <param name="inputs">Float64 tensors; those with <c>requires_grad</c> are checked (at least one).</param>
    /// <param name="gradOutput">v (see <see cref="Run(Func{Tensor, Tensor}, Tensor, Tensor?, double, double, double, long)"/>).</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="seed">The seed of the drawn <paramref name="gradOutput"/>.</param>
    /// <returns>The comparison's figures.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">As <see cref="GradCheck.Run(Func{Tensor[], Tensor}, Tensor[], double, double, double)"/>; or <paramref name="gradOutput"/> does not have the output's shape.</exception>
    public static GradCheckResult Run(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor? gradOutput = null, double eps = GradCheck.DefaultEps, double atol = GradCheck.DefaultAtol, double rtol = GradCheck.DefaultRtol, long seed = 0)
    {
        TestingChecks.ThrowIfNull(function, "GradGradCheck");
        TestingChecks.ThrowIfNull(inputs, "GradGradCheck");
        using var scope = NewDisposeScope();
        for (int i = 0; i < inputs.Length; i++)
        {
            TestingChecks.ThrowIfNullOrDisposed(inputs[i], "GradGradCheck", $"inputs[{i}]");
        }

        Tensor v = GradientOutput(function, inputs, gradOutput, seed);

        bool[] differentiable = inputs.Select(x => x.requires_grad).ToArray();
        int n = inputs.Length;
        Tensor VectorJacobianProduct(Tensor[] all)
        {
            using (enable_grad())
            {
                Tensor[] xs = all[..n]
                    .Select((x, i) => differentiable[i] && !x.requires_grad ? x.detach().requires_grad_(true) : x)
                    .ToArray();
                Tensor y = function(xs);
                Tensor[] wrt = xs.Where((_, i) => differentiable[i]).ToArray();
                Tensor?[] grads = Torch.Autograd.Grad([y], wrt, [all[n]], createGraph: true, materializeGrads: true);
                return cat(grads.Select(g => g!.reshape(-1)).ToArray());
            }
        }

        return GradCheck.Run(VectorJacobianProduct, [.. inputs, v], eps, atol, rtol);
    }

    /// <summary>Like <see cref="Run(Func{Tensor, Tensor}, Tensor, Tensor?, double, double, double, long)"/>, but throws when the check fails.</summary>
    /// <param name="function">The function.</param>
    /// <param name="input">A float64 tensor with <c>requires_grad</c> set.</param>
    /// <param name="gradOutput">v, or <see langword="null"/> to draw one.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="seed">The seed of the drawn <paramref name="gradOutput"/>.</param>
    /// <returns>The figures of the passing check.</returns>
    /// <exception cref="GradCheckException">A second-order entry differs from the numerical one beyond the tolerance.</exception>
    /// <exception cref="ArgumentException">See <see cref="Run(Func{Tensor, Tensor}, Tensor, Tensor?, double, double, double, long)"/>.</exception>
    public static GradCheckResult Assert(Func<Tensor, Tensor> function, Tensor input, Tensor? gradOutput = null, double eps = GradCheck.DefaultEps, double atol = GradCheck.DefaultAtol, double rtol = GradCheck.DefaultRtol, long seed = 0) =>
        ThrowIfFailed(Run(function, input, gradOutput, eps, atol, rtol, seed));

    /// <summary>Like <see cref="Run(Func{Tensor[], Tensor}, Tensor[], Tensor?, double, double, double, long)"/>, but throws when the check fails.</summary>
    /// <param name="function">The function.</param>
    /// <param name="inputs">Float64 tensors.</param>
    /// <param name="gradOutput">v, or <see langword="null"/> to draw one.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="seed">The seed of the drawn <paramref name="gradOutput"/>.</param>
    /// <returns>The figures of the passing check.</returns>
    /// <exception cref="GradCheckException">A second-order entry differs from the numerical one beyond the tolerance.</exception>
    /// <exception cref="ArgumentException">See <see cref="Run(Func{Tensor[], Tensor}, Tensor[], Tensor?, double, double, double, long)"/>.</exception>
    public static GradCheckResult Assert(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor? gradOutput = null, double eps = GradCheck.DefaultEps, double atol = GradCheck.DefaultAtol, double rtol = GradCheck.DefaultRtol, long seed = 0) =>
        ThrowIfFailed(Run(function, inputs, gradOutput, eps, atol, rtol, seed));

    private static GradCheckResult ThrowIfFailed(GradCheckResult result) =>
        result.Passed ? result : throw new GradCheckException("Second-order (gradgrad) mismatch: " + result.FirstMismatch);

    // v: the caller's gradOutput (checked against the output's shape), or one drawn from U(−1, 1) that requires grad.
    private static Tensor GradientOutput(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor? gradOutput, long seed)
    {
        long[] outputShape;
        using (no_grad())
        {
            using Tensor probe = function(inputs.Select(x => x.detach()).ToArray());
            outputShape = probe.shape;
        }

        if (gradOutput is null)
        {
            using var generator = new Generator((ulong)seed);
            return rand(outputShape, ScalarType.Float64, generator: generator).mul_(2).sub_(1).requires_grad_(true);
        }

        if (!gradOutput.shape.SequenceEqual(outputShape))
        {
            throw new ArgumentException(
                $"GradGradCheck: gradOutput has shape [{string.Join(", ", gradOutput.shape)}] but the function's output has shape [{string.Join(", ", outputShape)}]; pass a gradOutput of the output's shape, or none (a random one is drawn).");
        }

        return gradOutput;
    }
}
