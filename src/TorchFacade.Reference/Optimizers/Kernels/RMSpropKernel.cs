using System.Numerics;
using System.Runtime.Intrinsics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor RMSprop step for one parameter in one pass, in LibTorch's operation order:
/// <c>g = -g</c> (maximize); <c>g = fma(p, wd, g)</c>; <c>sq = fma((1−α)·g, g, sq·α)</c> (<c>mul_</c>, then
/// <c>addcmul_</c>, whose <c>self + value·t1·t2</c> LibTorch's compiler fuses); centered: <c>ga = lerp(ga, g, 1−α)</c>,
/// <c>avg = √fma(−ga, ga, sq) + eps</c> (so α = 0 gives NaN where the fused residual is negative, as PyTorch does),
/// else <c>avg = √sq + eps</c>; momentum:
/// <c>buf = buf·μ + g/avg</c>, <c>p = fma(buf, −lr, p)</c>, else <c>p = p + (−lr·g)/avg</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct RMSpropKernel<T> : IRangeKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* SquareAvg;
    public T* GradAvg;
    public T* Buf;
    public bool Maximize;
    public bool HasWeightDecay;
    public T WeightDecay;
    public T Alpha;
    public T OneMinusAlpha;
    public bool LerpSmall;
    public T Eps;
    public T Momentum;
    public T NegLr;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        // Locals, not fields: stores through the pointers could alias this struct, so the JIT would reload fields every iteration.
        T* lP = P;
        T* lG = G;
        T* lSquareAvg = SquareAvg;
        T* lGradAvg = GradAvg;
        T* lBuf = Buf;
        bool lMaximize = Maximize;
        bool lHasWeightDecay = HasWeightDecay;
        bool lVector = vectorized && Vector256.IsHardwareAccelerated;
        T lWeightDecay = WeightDecay;
        T lAlpha = Alpha;
        T lOneMinusAlpha = OneMinusAlpha;
        bool lLerpSmall = LerpSmall;
        T lOmaMinusOne = OneMinusAlpha - T.One;
        T lEps = Eps;
        T lMomentum = Momentum;
        T lNegLr = NegLr;
        long i = start;
        bool centered = lGradAvg != null;
        bool momentum = lBuf != null;
        if (lVector)
        {
            int w = Vector256<T>.Count;
            var wd = Vector256.Create(lWeightDecay);
            var alpha = Vector256.Create(lAlpha);
            var oma = Vector256.Create(lOneMinusAlpha);
            var omaM1 = Vector256.Create(lOmaMinusOne);
            var eps = Vector256.Create(lEps);
            var mu = Vector256.Create(lMomentum);
            var negLr = Vector256.Create(lNegLr);
            for (; i + w <= end; i += w)
            {
                var p = Vector256.Load(lP + i);
                var g = VectorOps.CoupledGrad(p, Vector256.Load(lG + i), lMaximize, lHasWeightDecay, wd);

                var sq = VectorOps.Fma(oma * g, g, Vector256.Load(lSquareAvg + i) * alpha);
                sq.Store(lSquareAvg + i);
                Vector256<T> avg;
                if (centered)
                {
                    var ga = VectorOps.Lerp(Vector256.Load(lGradAvg + i), g, lLerpSmall, oma, omaM1);
                    ga.Store(lGradAvg + i);
                    avg = Vector256.Sqrt(VectorOps.Fma(-ga, ga, sq)) + eps;
                }
                else
                {
                    avg = Vector256.Sqrt(sq) + eps;
                }

                if (momentum)
                {
                    var b = (Vector256.Load(lBuf + i) * mu) + (g / avg);
                    b.Store(lBuf + i);
                    VectorOps.Fma(b, negLr, p).Store(lP + i);
                }
                else
                {
                    (p + (negLr * g / avg)).Store(lP + i);
                }
            }
        }

        for (; i < end; i++)
        {
            T p = lP[i];
            T g = VectorOps.CoupledGrad(p, lG[i], lMaximize, lHasWeightDecay, lWeightDecay);

            T sq = VectorOps.Fma(lOneMinusAlpha * g, g, lSquareAvg[i] * lAlpha);
            lSquareAvg[i] = sq;
            T avg;
            if (centered)
            {
                T ga = VectorOps.Lerp(lGradAvg[i], g, lLerpSmall, lOneMinusAlpha, lOmaMinusOne);
                lGradAvg[i] = ga;
                avg = T.Sqrt(VectorOps.Fma(-ga, ga, sq)) + lEps;
            }
            else
            {
                avg = T.Sqrt(sq) + lEps;
            }

            if (momentum)
            {
                T b = (lBuf[i] * lMomentum) + (g / avg);
                lBuf[i] = b;
                lP[i] = VectorOps.Fma(b, lNegLr, p);
            }
            else
            {
                lP[i] = p + (lNegLr * g / avg);
            }
        }
    }
}
