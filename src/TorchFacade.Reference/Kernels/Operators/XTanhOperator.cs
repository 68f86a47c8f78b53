namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>x·tanh(x) (float in double lanes); backward from the input: g·(t + x·(1 − t²)), t = tanh x.</summary>
internal readonly struct XTanhOperator : IActivationOperator
{
    public static bool WidenFloat => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => x * LaneMath.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV>
    {
        TV t = LaneMath.Tanh(saved);
        return g * (t + (saved * (TV.Create(1.0) - (t * t))));
    }
}
