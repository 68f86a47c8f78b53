namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>
/// Swish with β (SiLU is β = 1): y = x/(1 + exp(−β·x)) (LibTorch's CPU form of SiLU); backward from the input:
/// s = σ(β·x), dx = (g·s)·(1 + β·x·(1 − s)).
/// </summary>
/// <param name="beta">β, rounded to the element type.</param>
internal readonly struct SwishOperator(double beta) : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => x / (TV.Create(1.0) + LaneMath.Exp(x * TV.Create(-beta)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV>
    {
        TV bx = saved * TV.Create(beta);
        if (Math.Abs(beta) > 1.0)
        {
            // beta·x can overflow to ±inf for a finite x (|beta| <= 1 cannot); then bx·(1 − σ) would be inf·0 = NaN where
            // PyTorch's autograd of x·sigmoid(beta·x) gives 1 (or 0): use the largest finite bx instead (σ is 1 or 0 there).
            TV largest = TV.Create(TV.IsDouble ? double.MaxValue : float.MaxValue);
            TV overflowed = TV.GreaterThan(TV.Abs(bx), largest) & TV.LessThanOrEqual(TV.Abs(saved), largest);
            bx = TV.Select(overflowed, TV.CopySign(largest, bx), bx);
        }

        TV s = LaneMath.Sigmoid(bx);
        return g * s * (TV.Create(1.0) + (bx * (TV.Create(1.0) - s)));
    }
}
