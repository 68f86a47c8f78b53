using System.Numerics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor Adamax step for one parameter in one pass, in LibTorch's rounding: <c>g = -g</c> (maximize);
/// <c>g = fma(p, wd, g)</c>; <c>m = lerp(m, g, 1−β1)</c>; <c>u = max(u·β2, |g| + eps)</c> (NaN propagates, as
/// <c>torch.maximum</c>); <c>p = p + (−clr·m)/u</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct AdamaxKernel<T> : IRangeKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* M;
    public T* U;
    public bool Maximize;
    public bool HasWeightDecay;
    public T WeightDecay;
    public LerpWeight<T> Lerp;
    public T Beta2;
    public T Eps;
    public T NegClr;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        T* lP = P, lG = G, lM = M, lU = U;
        bool maximize = Maximize, hasWd = HasWeightDecay;
        T wd = WeightDecay, b2 = Beta2, eps = Eps, negClr = NegClr;
        LerpWeight<T> lerp = Lerp;
        for (long i = start; i < end; i++)
        {
            T p = lP[i];
            T g = VectorOps.CoupledGrad(p, lG[i], maximize, hasWd, wd);
            T m = lerp.Apply(lM[i], g);
            T a = lU[i] * b2;
            T b = T.Abs(g) + eps;
            T u = T.IsNaN(a) || T.IsNaN(b) ? T.NaN : T.Max(a, b);
            lM[i] = m;
            lU[i] = u;
            lP[i] = p + (negClr * m / u);
        }
    }
}
