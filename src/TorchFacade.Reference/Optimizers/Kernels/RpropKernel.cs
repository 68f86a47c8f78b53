using System.Numerics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor Rprop step for one parameter in one pass: <c>g = -g</c> (maximize); <c>s = sign(g·prev)</c>
/// mapped to η+ (s &gt; 0), η− (s &lt; 0) or 1 (s = 0; <c>sign(NaN)</c> is 0 in LibTorch); <c>step = clamp(step·s, min, max)</c>
/// (NaN stays NaN); <c>g = 0</c> where s = η−; <c>p = fma(−sign(g), step, p)</c>; <c>prev = g</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct RpropKernel<T> : IRangeKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* Prev;
    public T* StepSize;
    public bool Maximize;
    public T EtaMinus;
    public T EtaPlus;
    public T MinStep;
    public T MaxStep;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        T* lP = P, lG = G, lPrev = Prev, lStep = StepSize;
        bool maximize = Maximize;
        T etaMinus = EtaMinus, etaPlus = EtaPlus, minStep = MinStep, maxStep = MaxStep;
        for (long i = start; i < end; i++)
        {
            T g = maximize ? -lG[i] : lG[i];
            T s = Sign(g * lPrev[i]);
            s = s > T.Zero ? etaPlus : s < T.Zero ? etaMinus : T.One;
            T step = lStep[i] * s;
            step = T.IsNaN(step) ? step : step < minStep ? minStep : step > maxStep ? maxStep : step;
            lStep[i] = step;
            if (s == etaMinus)
            {
                g = T.Zero;
            }

            lP[i] = VectorOps.Fma(-Sign(g), step, lP[i]);
            lPrev[i] = g;
        }
    }

    private static T Sign(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
}
