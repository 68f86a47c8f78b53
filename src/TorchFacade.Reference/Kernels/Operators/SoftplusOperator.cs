namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>
/// Softplus with β and threshold (LibTorch: linear where β·x &gt; threshold, strictly): y = z &gt; threshold ? x :
/// (max(z, 0) + log1p(exp(−|z|)))/β with z = β·x, which is log1p(exp(z))/β without overflow; backward from the
/// input: z &gt; threshold ? g : g·σ(z).
/// </summary>
/// <param name="beta">β, rounded to the element type.</param>
/// <param name="threshold">The threshold, rounded to the element type.</param>
internal readonly struct SoftplusOperator(double beta, double threshold) : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV>
    {
        TV z = x * TV.Create(beta);
        return TV.Select(TV.GreaterThan(z, TV.Create(threshold)), x, LaneMath.Softplus(z) / TV.Create(beta));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV>
    {
        TV z = saved * TV.Create(beta);
        return TV.Select(TV.GreaterThan(z, TV.Create(threshold)), g, g * LaneMath.Sigmoid(z));
    }
}
