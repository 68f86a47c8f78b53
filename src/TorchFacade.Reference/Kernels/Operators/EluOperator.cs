namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>
/// ELU/SELU as LibTorch's elu(x, α, scale, input_scale = 1): y = x ≤ 0 ? (exp(x) − 1)·(α·scale) : x·scale
/// (exp(x) − 1 rather than expm1, as LibTorch); backward from the input: x &gt; 0 ? g·scale : (g·(α·scale))·exp(x)
/// (so NaN takes the second branch and stays NaN).
/// </summary>
/// <param name="negativeCoefficient">α·scale, multiplied in the element type.</param>
/// <param name="positiveCoefficient">scale, rounded to the element type.</param>
internal readonly struct EluOperator(double negativeCoefficient, double positiveCoefficient) : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV>
    {
        TV negative = (LaneMath.Exp(x) - TV.Create(1.0)) * TV.Create(negativeCoefficient);
        return TV.Select(TV.LessThanOrEqual(x, TV.Create(0.0)), negative, x * TV.Create(positiveCoefficient));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV> =>
        TV.Select(TV.GreaterThan(saved, TV.Create(0.0)), g * TV.Create(positiveCoefficient), g * TV.Create(negativeCoefficient) * LaneMath.Exp(saved));
}
