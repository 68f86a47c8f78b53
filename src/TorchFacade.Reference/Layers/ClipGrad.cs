using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Layers;

/// <summary>
/// Gradient clipping with PyTorch's semantics (<c>torch.nn.utils.clip_grad_norm_</c> / <c>clip_grad_value_</c>), for any
/// tensors that have a <c>.grad</c> (not only <c>Parameter</c>s). Parameters whose grad is <see langword="null"/> are skipped.
/// </summary>
public static class ClipGrad
{
    /// <summary>PyTorch's constant in <c>max_norm / (total_norm + 1e-6)</c>.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>
    /// Clips the gradients by their total norm, as if all gradients were concatenated into one vector:
    /// <c>total = ‖(‖g₁‖ₚ, ‖g₂‖ₚ, …)‖ₚ</c>; every gradient is multiplied in place by <c>min(1, maxNorm / (total + 1e-6))</c>,
    /// so nothing changes unless <c>total + 1e-6 &gt; maxNorm</c>.
    /// </summary>
    /// <param name="parameters">The tensors whose <c>.grad</c> to clip.</param>
    /// <param name="maxNorm">The largest allowed total norm (≥ 0).</param>
    /// <param name="normType">p of the p-norm (&gt; 0), or <see cref="double.PositiveInfinity"/> for the max norm.</param>
    /// <param name="errorIfNonfinite">Throw when the total norm is NaN or infinite (PyTorch's <c>error_if_nonfinite</c>).</param>
    /// <returns>The total norm of the gradients before clipping (0 when no parameter has a gradient).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is negative or NaN, or <paramref name="normType"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The total norm is not finite and <paramref name="errorIfNonfinite"/> is set.</exception>
    public static double Norm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2.0, bool errorIfNonfinite = false)
    {
        _ = parameters ?? throw new ArgumentNullException(null, "ClipGrad: 'parameters' is null; pass a value.");
        if (!(maxNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(null, maxNorm, "ClipGrad: max_norm must be a number ≥ 0.");
        }

        if (!(normType > 0))
        {
            throw new ArgumentOutOfRangeException(null, normType, "ClipGrad: norm_type must be > 0 (2 for the Euclidean norm, double.PositiveInfinity for the max norm).");
        }

        List<Tensor> grads = Grads(parameters);
        if (grads.Count == 0)
        {
            return 0.0;
        }

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        ScalarType dtype = grads[0].dtype;
        Tensor[] norms = grads.Select(g => VectorNorm(g, normType).to(dtype)).ToArray();
        Tensor total = VectorNorm(torch.stack(norms), normType);
        double totalValue = total.to(ScalarType.Float64).item<double>();
        if (errorIfNonfinite && !double.IsFinite(totalValue))
        {
            throw new InvalidOperationException(
                $"The total norm of order {normType} for gradients from `parameters` is non-finite ({totalValue}), so it cannot be clipped. " +
                "To disable this error and scale the gradients by the non-finite norm anyway, set errorIfNonfinite to false.");
        }

        Tensor coefficient = ((total + Epsilon).reciprocal() * maxNorm).clamp_max(1.0);
        foreach (Tensor g in grads)
        {
            g.mul_(coefficient.to(g.dtype));
        }

        return totalValue;
    }

    /// <summary>Clamps every gradient element to <c>[−clipValue, clipValue]</c> in place (PyTorch's <c>clip_grad_value_</c>).</summary>
    /// <param name="parameters">The tensors whose <c>.grad</c> to clip.</param>
    /// <param name="clipValue">The bound (≥ 0).</param>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is negative or NaN.</exception>
    public static void Value(IEnumerable<Tensor> parameters, double clipValue)
    {
        _ = parameters ?? throw new ArgumentNullException(null, "ClipGrad: 'parameters' is null; pass a value.");
        if (!(clipValue >= 0))
        {
            throw new ArgumentOutOfRangeException(null, clipValue, "ClipGrad: clip_value must be a number ≥ 0.");
        }

        using var noGrad = torch.no_grad();
        foreach (Tensor g in Grads(parameters))
        {
            g.clamp_(-clipValue, clipValue);
        }
    }

    /// <summary>‖t‖ₚ over all elements: <c>max|t|</c> for p = ∞, <c>√Σt²</c> for p = 2, else <c>(Σ|t|ᵖ)^(1/p)</c>.</summary>
    internal static Tensor VectorNorm(Tensor t, double p)
    {
        if (double.IsPositiveInfinity(p))
        {
            return t.numel() == 0 ? torch.zeros([], dtype: t.dtype, device: t.device) : t.abs().max();
        }

        if (p == 2.0)
        {
            return (t * t).sum().sqrt();
        }

        return t.abs().pow(p).sum().pow(1.0 / p);
    }

    private static List<Tensor> Grads(IEnumerable<Tensor> parameters)
    {
        var grads = new List<Tensor>();
        foreach (Tensor p in parameters)
        {
            _ = p ?? throw new ArgumentNullException(null, "ClipGrad: 'parameters' is null; pass a value.");
            if (p.grad is { } g)
            {
                grads.Add(g);
            }
        }

        return grads;
    }
}
