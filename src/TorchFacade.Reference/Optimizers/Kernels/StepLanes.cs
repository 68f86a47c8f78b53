namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// The operations the optimizer rules share, in LibTorch's CPU rounding: <c>lerp</c> with a scalar weight, the
/// exponential average of squares (<c>mul_</c> then the fused <c>addcmul_</c>) and Adam's two moments.
/// </summary>
internal static class StepLanes
{
    /// <summary>
    /// LibTorch's CPU <c>lerp(start, end, w)</c> for a scalar weight (PyTorch's <c>exp_avg.lerp_(grad, 1 − β1)</c>):
    /// <c>fma(w, end − start, start)</c> when |w| &lt; 0.5, else <c>fma(w − 1, end − start, end)</c>, with w rounded to the
    /// lane type first and w − 1 computed in it.
    /// </summary>
    /// <typeparam name="TV">The lanes.</typeparam>
    /// <param name="start">The buffer.</param>
    /// <param name="end">The target (the gradient).</param>
    /// <param name="weight">The weight as PyTorch computes it in double.</param>
    /// <returns>The interpolation.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Lerp<TV>(TV start, TV end, double weight)
        where TV : struct, ISimd<TV>
    {
        TV w = TV.Create(weight);
        TV diff = end - start;
        double rounded = TV.IsDouble ? weight : (float)weight;
        return Math.Abs(rounded) < 0.5 ? TV.FusedMultiplyAdd(w, diff, start) : TV.FusedMultiplyAdd(w - TV.Create(1.0), diff, end);
    }

    /// <summary>Adam's two moments (Adam, AdamW, NAdam, RAdam): <c>m = lerp(m, g, 1−β1)</c>, <c>v = fma((1−β2)·g, g, v·β2)</c>.</summary>
    /// <typeparam name="TV">The lanes.</typeparam>
    /// <param name="m">exp_avg.</param>
    /// <param name="v">exp_avg_sq.</param>
    /// <param name="g">The gradient.</param>
    /// <param name="oneMinusBeta1">1 − β1.</param>
    /// <param name="beta2">β2.</param>
    /// <param name="oneMinusBeta2">1 − β2.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Moments<TV>(ref TV m, ref TV v, TV g, double oneMinusBeta1, double beta2, double oneMinusBeta2)
        where TV : struct, ISimd<TV>
    {
        m = Lerp(m, g, oneMinusBeta1);
        v = SquareAverage(v, g, beta2, oneMinusBeta2);
    }

    /// <summary>PyTorch's <c>avg.mul_(β).addcmul_(x, x, value=1 − β)</c>: <c>fma((1 − β)·x, x, avg·β)</c>.</summary>
    /// <typeparam name="TV">The lanes.</typeparam>
    /// <param name="average">The running average.</param>
    /// <param name="x">The value squared.</param>
    /// <param name="beta">β.</param>
    /// <param name="oneMinusBeta">1 − β, as PyTorch computes it in double.</param>
    /// <returns>The new average.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SquareAverage<TV>(TV average, TV x, double beta, double oneMinusBeta)
        where TV : struct, ISimd<TV> => TV.FusedMultiplyAdd(TV.Create(oneMinusBeta) * x, x, average * TV.Create(beta));
}
