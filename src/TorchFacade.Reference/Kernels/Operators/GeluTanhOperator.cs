using TorchFacade.Reference.Activations;

namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>
/// GELU, tanh approximation: with u = √(2/π)·(x + 0.044715·x³), ½·x·(1 + tanh u) = x·σ(2u), evaluated as
/// x/(1 + e) with e = exp(−2u) (no cancellation of 1 + tanh u for negative x). Backward from the input:
/// g·(σ + 2x·σ(1 − σ)·√(2/π)·(1 + 3·0.044715·x²)), with 1 − σ = e·σ where σ ≥ ½ (again no cancellation).
/// </summary>
internal readonly struct GeluTanhOperator : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => x / (TV.Create(1.0) + LaneMath.Exp(Inner(x) * TV.Create(-2.0)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV>
    {
        TV u = Inner(saved);
        TV e = LaneMath.Exp(u * TV.Create(-2.0));
        TV s = TV.Create(1.0) / (TV.Create(1.0) + e);
        TV oneMinusS = TV.Select(TV.LessThan(u, TV.Create(0.0)), TV.Create(1.0) - s, e * s);
        TV du = TV.FusedMultiplyAdd(saved * saved, TV.Create(3 * GELU.Kappa), TV.Create(1.0)) * TV.Create(GELU.SqrtTwoOverPi);
        return g * (s + ((saved + saved) * s * oneMinusS * du));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Inner<TV>(TV x)
        where TV : struct, ISimd<TV> => (x + (x * x * x * TV.Create(GELU.Kappa))) * TV.Create(GELU.SqrtTwoOverPi);
}
