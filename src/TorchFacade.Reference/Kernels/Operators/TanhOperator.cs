namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>tanh (float in double lanes, so float results are correctly rounded); backward from the output: g·(1 − y²).</summary>
internal readonly struct TanhOperator : IActivationOperator
{
    public static bool WidenFloat => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => LaneMath.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV> => g * (TV.Create(1.0) - (saved * saved));
}
