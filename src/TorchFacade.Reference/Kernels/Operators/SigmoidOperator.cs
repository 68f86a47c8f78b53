namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>Sigmoid, in LibTorch's order: y = 1/(1 + exp(−x)); backward from the output: g·(y·(1 − y)).</summary>
internal readonly struct SigmoidOperator : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => LaneMath.Sigmoid(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV> => g * (saved * (TV.Create(1.0) - saved));
}
