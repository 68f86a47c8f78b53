namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>Leaky ReLU: y = x &gt; 0 ? x : x·slope; backward from the input: x &gt; 0 ? g : g·slope (NaN takes the slope side).</summary>
/// <param name="slope">The negative slope, rounded to the element type.</param>
internal readonly struct LeakyReluOperator(double slope) : IActivationOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => TV.Select(TV.GreaterThan(x, TV.Create(0.0)), x, x * TV.Create(slope));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV> => TV.Select(TV.GreaterThan(saved, TV.Create(0.0)), g, g * TV.Create(slope));
}
