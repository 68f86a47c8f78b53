using TorchFacade.Reference.Activations;

namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>
/// Exact GELU (approximate='none'): y = (x·½)·erfc(−x·√½), which is LibTorch's (x·½)·(1 + erf(x·√½)) without the
/// cancellation of 1 + erf for negative x; backward from the input: g·(Φ + x·φ), Φ = ½·erfc(−x·√½),
/// φ = exp(−½x²)/√(2π).
/// </summary>
internal readonly struct GeluErfOperator : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => x * TV.Create(0.5) * LaneMath.Erfc(x * TV.Create(-GELU.SqrtHalf));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV>
    {
        TV cdf = LaneMath.Erfc(saved * TV.Create(-GELU.SqrtHalf)) * TV.Create(0.5);
        TV pdf = LaneMath.Exp(saved * saved * TV.Create(-0.5)) * TV.Create(GELU.InvSqrtTwoPi);
        return g * (cdf + (saved * pdf));
    }
}
