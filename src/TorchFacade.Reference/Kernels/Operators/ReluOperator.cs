namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>ReLU as clamp_min(x, 0): y = x ≤ 0 ? +0 : x (NaN stays NaN, −0 becomes +0); backward from the output: y ≤ 0 ? 0 : g.</summary>
internal readonly struct ReluOperator : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => TV.Select(TV.LessThanOrEqual(x, TV.Create(0.0)), TV.Create(0.0), x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV> => TV.Select(TV.LessThanOrEqual(saved, TV.Create(0.0)), TV.Create(0.0), g);
}
