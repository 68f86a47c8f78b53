using System.Numerics;
using System.Runtime.Intrinsics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor Adagrad step for one parameter in one pass, in LibTorch's operation order:
/// <c>g = -g</c> (maximize); <c>g = fma(p, wd, g)</c>; <c>sum = fma(g, g, sum)</c> (<c>addcmul_</c> fused); <c>std = √sum + eps</c>;
/// <c>p = p + (−clr·g) / std</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct AdagradKernel<T> : IRangeKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* Sum;
    public bool Maximize;
    public bool HasWeightDecay;
    public T WeightDecay;
    public T Eps;
    public T NegClr;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        // Locals, not fields: stores through the pointers could alias this struct, so the JIT would reload fields every iteration.
        T* lP = P;
        T* lG = G;
        T* lSum = Sum;
        bool lMaximize = Maximize;
        bool lHasWeightDecay = HasWeightDecay;
        bool lVector = vectorized && Vector256.IsHardwareAccelerated;
        T lWeightDecay = WeightDecay;
        T lEps = Eps;
        T lNegClr = NegClr;
        long i = start;
        if (lVector)
        {
            int w = Vector256<T>.Count;
            var wd = Vector256.Create(lWeightDecay);
            var eps = Vector256.Create(lEps);
            var clr = Vector256.Create(lNegClr);
            for (; i + w <= end; i += w)
            {
                var p = Vector256.Load(lP + i);
                var g = VectorOps.CoupledGrad(p, Vector256.Load(lG + i), lMaximize, lHasWeightDecay, wd);

                var s = VectorOps.Fma(g, g, Vector256.Load(lSum + i));
                s.Store(lSum + i);
                var std = Vector256.Sqrt(s) + eps;
                (p + (clr * g / std)).Store(lP + i);
            }
        }

        for (; i < end; i++)
        {
            T p = lP[i];
            T g = VectorOps.CoupledGrad(p, lG[i], lMaximize, lHasWeightDecay, lWeightDecay);

            T s = VectorOps.Fma(g, g, lSum[i]);
            lSum[i] = s;
            T std = T.Sqrt(s) + lEps;
            lP[i] = p + (lNegClr * g / std);
        }
    }
}
