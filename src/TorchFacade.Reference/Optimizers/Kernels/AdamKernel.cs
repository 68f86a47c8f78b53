using System.Numerics;
using System.Runtime.Intrinsics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor Adam/AdamW step for one parameter in one pass, in LibTorch's operation order:
/// <c>g = -g</c> (maximize); AdamW: <c>p = p·(1 − lr·wd)</c>, Adam: <c>g = fma(p, wd, g)</c>; <c>m = lerp(m, g, 1−β1)</c>
/// (PyTorch's <c>exp_avg.lerp_</c>); <c>v = fma((1−β2)·g, g, v·β2)</c> (<c>mul_</c>, then the fused <c>addcmul_</c>); <c>vmax = max(vmax, v)</c> (amsgrad); <c>denom = √v / √bc2 + eps</c>;
/// <c>p = p + (−lr/bc1 · m) / denom</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct AdamKernel<T> : IRangeKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* M;
    public T* V;
    public T* VMax;
    public bool Maximize;
    public bool Decoupled;
    public bool HasWeightDecay;
    public T WeightDecay;
    public T DecayFactor;
    public T Beta1;
    public T OneMinusBeta1;
    public bool LerpSmall;
    public T Beta2;
    public T OneMinusBeta2;
    public T Bc2Sqrt;
    public T Eps;
    public T NegStepSize;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        // Locals, not fields: stores through the pointers could alias this struct, so the JIT would reload fields every iteration.
        T* lP = P;
        T* lG = G;
        T* lM = M;
        T* lV = V;
        T* lVMax = VMax;
        bool lMaximize = Maximize;
        bool lDecoupled = Decoupled;
        bool lHasWeightDecay = HasWeightDecay;
        bool lVector = vectorized && Vector256.IsHardwareAccelerated;
        T lWeightDecay = WeightDecay;
        T lDecayFactor = DecayFactor;
        T lBeta1 = Beta1;
        T lOneMinusBeta1 = OneMinusBeta1;
        bool lLerpSmall = LerpSmall;
        T lOmb1MinusOne = OneMinusBeta1 - T.One;
        T lBeta2 = Beta2;
        T lOneMinusBeta2 = OneMinusBeta2;
        T lBc2Sqrt = Bc2Sqrt;
        T lEps = Eps;
        T lNegStepSize = NegStepSize;
        long i = start;
        bool amsgrad = lVMax != null;
        if (lVector)
        {
            int w = Vector256<T>.Count;
            var wd = Vector256.Create(lWeightDecay);
            var decay = Vector256.Create(lDecayFactor);
            var b1 = Vector256.Create(lBeta1);
            var omb1 = Vector256.Create(lOneMinusBeta1);
            var omb1M1 = Vector256.Create(lOmb1MinusOne);
            var b2 = Vector256.Create(lBeta2);
            var omb2 = Vector256.Create(lOneMinusBeta2);
            var bc2 = Vector256.Create(lBc2Sqrt);
            var eps = Vector256.Create(lEps);
            var step = Vector256.Create(lNegStepSize);
            for (; i + w <= end; i += w)
            {
                var p = Vector256.Load(lP + i);
                var g = Vector256.Load(lG + i);
                if (lMaximize)
                {
                    g = -g;
                }

                if (lHasWeightDecay)
                {
                    if (lDecoupled)
                    {
                        p *= decay;
                    }
                    else
                    {
                        g = VectorOps.Fma(p, wd, g);
                    }
                }

                var m = VectorOps.Lerp(Vector256.Load(lM + i), g, lLerpSmall, omb1, omb1M1);
                var v = VectorOps.Fma(omb2 * g, g, Vector256.Load(lV + i) * b2);
                m.Store(lM + i);
                v.Store(lV + i);
                if (amsgrad)
                {
                    v = Vector256.Max(Vector256.Load(lVMax + i), v);
                    v.Store(lVMax + i);
                }

                var denom = (Vector256.Sqrt(v) / bc2) + eps;
                (p + (step * m / denom)).Store(lP + i);
            }
        }

        for (; i < end; i++)
        {
            T p = lP[i];
            T g = lG[i];
            if (lMaximize)
            {
                g = -g;
            }

            if (lHasWeightDecay)
            {
                if (lDecoupled)
                {
                    p *= lDecayFactor;
                }
                else
                {
                    g = VectorOps.Fma(p, lWeightDecay, g);
                }
            }

            T m = VectorOps.Lerp(lM[i], g, lLerpSmall, lOneMinusBeta1, lOmb1MinusOne);
            T v = VectorOps.Fma(lOneMinusBeta2 * g, g, lV[i] * lBeta2);
            lM[i] = m;
            lV[i] = v;
            if (amsgrad)
            {
                v = T.Max(lVMax[i], v);
                lVMax[i] = v;
            }

            T denom = (T.Sqrt(v) / lBc2Sqrt) + lEps;
            lP[i] = p + (lNegStepSize * m / denom);
        }
    }
}
