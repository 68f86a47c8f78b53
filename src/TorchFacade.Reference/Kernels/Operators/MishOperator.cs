namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>
/// Mish: y = x·tanh(softplus(x)), softplus(x) = max(x, 0) + log1p(exp(−|x|)) (float in double lanes); backward
/// from the input: g·(t + x·σ(x)·(1 − t²)), t = tanh(softplus(x)).
/// </summary>
internal readonly struct MishOperator : IActivationOperator
{
    public static bool WidenFloat => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => x * TanhSoftplus(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV>
    {
        TV t = TanhSoftplus(saved);
        return g * (t + (saved * LaneMath.Sigmoid(saved) * (TV.Create(1.0) - (t * t))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV TanhSoftplus<TV>(TV x)
        where TV : struct, ISimd<TV> => LaneMath.Tanh(LaneMath.Softplus(x));
}
