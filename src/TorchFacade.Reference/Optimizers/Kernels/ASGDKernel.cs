using System.Numerics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor ASGD step for one parameter in one pass, in LibTorch's rounding: <c>g = -g</c> (maximize);
/// <c>g = fma(p, wd, g)</c>; <c>p = p·(1 − λ·η)</c>; <c>p = fma(g, −η, p)</c>; averaging (μ ≠ 1):
/// <c>ax = ax + (p − ax)·μ</c>, else <c>ax = p</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct ASGDKernel<T> : IRangeKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* Ax;
    public bool Maximize;
    public bool HasWeightDecay;
    public bool Average;
    public T WeightDecay;
    public T DecayFactor;
    public T NegEta;
    public T Mu;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        T* lP = P, lG = G, lAx = Ax;
        bool maximize = Maximize, hasWd = HasWeightDecay, average = Average;
        T wd = WeightDecay, decay = DecayFactor, negEta = NegEta, mu = Mu;
        for (long i = start; i < end; i++)
        {
            T p = lP[i];
            T g = VectorOps.CoupledGrad(p, lG[i], maximize, hasWd, wd);
            p = VectorOps.Fma(g, negEta, p * decay);
            lP[i] = p;
            lAx[i] = average ? lAx[i] + ((p - lAx[i]) * mu) : p;
        }
    }
}
