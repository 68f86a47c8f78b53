using TorchFacade.Reference.Activations;

namespace TorchFacade.Conformance.Cases.Activations;

/// <summary>The comparisons the activation cases share: forward and backward of a reference vs a LibTorch function, and vs the scalar oracle.</summary>
internal static class ActivationCheck
{
    /// <summary>The dtypes the activation cases run in.</summary>
    public static readonly ScalarType[] DTypes = [ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16];

    /// <summary>The seeded incoming gradient for a backward pass.</summary>
    public static Tensor GradOutput(Tensor like, long seed = 7) =>
        ActivationInputs.Seeded(like.shape, seed, 1.0, like.dtype, like.device);

    /// <summary>x.grad after <c>f(x).backward(g)</c>, with x a fresh leaf copy of <paramref name="x"/>.</summary>
    public static Tensor GradOf(Func<Tensor, Tensor> f, Tensor x, Tensor g)
    {
        var leaf = x.detach().clone().requires_grad_(true);
        var y = f(leaf);
        y.backward([g]);
        return leaf.grad!.detach().clone();
    }

    /// <summary>
    /// LibTorch's reference function as the case runs it: directly when it has a kernel, else for float16/bfloat16
    /// the composition is evaluated in float32 and rounded once (what the reference's composition does).
    /// </summary>
    public static Func<Tensor, Tensor> LibTorchAt(ActivationSpec spec, ScalarType dtype) =>
        spec.HasLibTorchKernel || dtype is ScalarType.Float32 or ScalarType.Float64
            ? spec.LibTorch
            : x => spec.LibTorch(x.to_type(ScalarType.Float32)).to_type(dtype);

    /// <summary>Forward values vs the oracle, over the finite inputs.</summary>
    public static CaseResult ForwardVsOracle(Tensor x, Tensor actual, Func<double, double> oracle, Tolerance tolerance)
    {
        (double[] xs, double[] a) = Finite(x, actual);
        double[] e = xs.Select(oracle).ToArray();
        return Compare.Close(a, e, tolerance, x.dtype, xs, "forward vs oracle");
    }

    /// <summary>Input gradient vs g·f'(x) from the oracle, over the finite inputs.</summary>
    public static CaseResult BackwardVsOracle(Tensor x, Tensor g, Tensor actual, Func<double, double> derivative, Tolerance tolerance)
    {
        double[] gs = Compare.ToDoubles(g);
        double[] all = Compare.ToDoubles(x);
        double[] av = Compare.ToDoubles(actual);
        var keep = Enumerable.Range(0, all.Length).Where(i => double.IsFinite(all[i])).ToArray();
        double[] xs = keep.Select(i => all[i]).ToArray();
        double[] a = keep.Select(i => av[i]).ToArray();
        double[] e = keep.Select(i => gs[i] * derivative(all[i])).ToArray();
        return Compare.Close(a, e, tolerance, x.dtype, xs, "backward vs oracle");
    }

    /// <summary>Both results must pass; the result carries the second's figures, or the first failure.</summary>
    public static CaseResult Both(CaseResult first, Func<CaseResult> second) =>
        first.Outcome != CaseOutcome.Passed ? first : second();

    private static (double[] X, double[] Y) Finite(Tensor x, Tensor y)
    {
        double[] xs = Compare.ToDoubles(x), ys = Compare.ToDoubles(y);
        var keep = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(xs[i])).ToArray();
        return (keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray());
    }

    /// <summary>The forward of a reference module, freed of autograd.</summary>
    public static Tensor Forward(nn.Module<Tensor, Tensor> module, Tensor x)
    {
        using var _ = no_grad();
        return module.call(x);
    }

    /// <summary>
    /// LibTorch's float32/reduced CPU gelu (its vectorized erf; PyTorch 2.6's CPU kernel too) returns NaN at +inf, where
    /// float64 and the math give +inf. The reference gives +inf; this pins the NaN of <paramref name="expected"/> and
    /// compares every other element.
    /// </summary>
    /// <param name="x">The inputs.</param>
    /// <param name="actual">The reference's gelu of <paramref name="x"/>.</param>
    /// <param name="expected">The kernel's (or stored golden) gelu of <paramref name="x"/>.</param>
    /// <param name="tol">The tolerance for the other elements.</param>
    /// <param name="source">Who computed <paramref name="expected"/>, for the note ("LibTorch", "PyTorch 2.6.0").</param>
    /// <returns>The comparison of the other elements, with a note on +inf.</returns>
    public static CaseResult GeluAtInfinity(Tensor x, Tensor actual, Tensor expected, Tolerance tol, string source)
    {
        var isPosInf = x.isposinf();
        var others = isPosInf.logical_not();
        double[] atInf = Compare.ToDoubles(actual.masked_select(isPosInf));
        double[] libAtInf = Compare.ToDoubles(expected.masked_select(isPosInf));
        var rest = Compare.Close(actual.masked_select(others), expected.masked_select(others), tol, x.masked_select(others), "forward");
        if (rest.Outcome != CaseOutcome.Passed)
        {
            return rest;
        }

        if (!atInf.All(double.IsPositiveInfinity))
        {
            return CaseResult.Fail($"gelu(+inf) should be +inf in the reference, got {string.Join(", ", atInf)}");
        }

        string note = libAtInf.All(double.IsNaN)
            ? $"divergence pinned: {source}'s float32/reduced CPU gelu(+inf) is NaN (float64 gives +inf); the reference returns +inf"
            : $"{source} gelu(+inf) = " + string.Join(", ", libAtInf);
        return rest with { Message = note };
    }
}
