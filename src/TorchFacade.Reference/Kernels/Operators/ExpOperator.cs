namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>
/// e^(x − shift), softmax's exponentials (shift = the row's maximum, or 0 for <see langword="default"/>); backward
/// from the input: g·e^(x − shift).
/// </summary>
/// <param name="shift">Subtracted from x first, rounded to the element type (exactly, as it is an element of the row).</param>
internal readonly struct ExpOperator(double shift) : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => LaneMath.Exp(x - TV.Create(shift));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV> => g * LaneMath.Exp(saved - TV.Create(shift));
}
