namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>x·sin(x); backward from the input: g·(sin x + x·cos x). sin and cos are <see cref="Math"/>'s, per lane.</summary>
internal readonly unsafe struct XSinOperator : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => x * TV.Map(x, &Math.Sin);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV> => g * (TV.Map(saved, &Math.Sin) + (saved * TV.Map(saved, &Math.Cos)));
}
