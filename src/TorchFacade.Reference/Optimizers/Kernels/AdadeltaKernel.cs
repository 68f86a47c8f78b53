using System.Numerics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor Adadelta step for one parameter in one pass, in LibTorch's rounding: <c>g = -g</c> (maximize);
/// <c>g = fma(p, wd, g)</c>; <c>s = fma((1−ρ)·g, g, s·ρ)</c>; <c>δ = (√(a + eps) / √(s + eps))·g</c>;
/// <c>a = fma((1−ρ)·δ, δ, a·ρ)</c>; <c>p = fma(δ, −lr, p)</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct AdadeltaKernel<T> : IRangeKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* SquareAvg;
    public T* AccDelta;
    public bool Maximize;
    public bool HasWeightDecay;
    public T WeightDecay;
    public T Rho;
    public T OneMinusRho;
    public T Eps;
    public T NegLr;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        T* lP = P, lG = G, lS = SquareAvg, lA = AccDelta;
        bool maximize = Maximize, hasWd = HasWeightDecay;
        T wd = WeightDecay, rho = Rho, omr = OneMinusRho, eps = Eps, negLr = NegLr;
        for (long i = start; i < end; i++)
        {
            T p = lP[i];
            T g = VectorOps.CoupledGrad(p, lG[i], maximize, hasWd, wd);
            T s = VectorOps.Fma(omr * g, g, lS[i] * rho);
            T std = T.Sqrt(s + eps);
            T delta = T.Sqrt(lA[i] + eps) / std * g;
            lS[i] = s;
            lA[i] = VectorOps.Fma(omr * delta, delta, lA[i] * rho);
            lP[i] = VectorOps.Fma(delta, negLr, p);
        }
    }
}
