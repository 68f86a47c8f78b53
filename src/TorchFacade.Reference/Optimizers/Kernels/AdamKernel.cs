using System.Numerics;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor Adam/AdamW step for one parameter in one pass, in LibTorch's operation order:
/// <c>g = -g</c> (maximize); AdamW: <c>p = p·(1 − lr·wd)</c>, Adam: <c>g = fma(p, wd, g)</c>; <c>m = fma(g, 1−β1, m·β1)</c>;
/// <c>v = v·β2 + ((1−β2)·g)·g</c>; <c>vmax = max(vmax, v)</c> (amsgrad); <c>denom = √v / √bc2 + eps</c>;
/// <c>p = p + (−lr/bc1 · m) / denom</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct AdamKernel<T> : IChunkKernel
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
    public bool Vector;
    public T WeightDecay;
    public T DecayFactor;
    public T Beta1;
    public T OneMinusBeta1;
    public T Beta2;
    public T OneMinusBeta2;
    public T Bc2Sqrt;
    public T Eps;
    public T NegStepSize;

    /// <inheritdoc />
    public readonly void Run(long start, long end)
    {
        long i = start;
        bool amsgrad = VMax != null;
        if (Vector)
        {
            int w = Vector256<T>.Count;
            var wd = Vector256.Create(WeightDecay);
            var decay = Vector256.Create(DecayFactor);
            var b1 = Vector256.Create(Beta1);
            var omb1 = Vector256.Create(OneMinusBeta1);
            var b2 = Vector256.Create(Beta2);
            var omb2 = Vector256.Create(OneMinusBeta2);
            var bc2 = Vector256.Create(Bc2Sqrt);
            var eps = Vector256.Create(Eps);
            var step = Vector256.Create(NegStepSize);
            for (; i + w <= end; i += w)
            {
                var p = Vector256.Load(P + i);
                var g = Vector256.Load(G + i);
                if (Maximize)
                {
                    g = -g;
                }

                if (HasWeightDecay)
                {
                    if (Decoupled)
                    {
                        p *= decay;
                    }
                    else
                    {
                        g = VectorOps.Fma(p, wd, g);
                    }
                }

                var m = VectorOps.Fma(g, omb1, Vector256.Load(M + i) * b1);
                var v = (Vector256.Load(V + i) * b2) + (omb2 * g * g);
                m.Store(M + i);
                v.Store(V + i);
                if (amsgrad)
                {
                    v = Vector256.Max(Vector256.Load(VMax + i), v);
                    v.Store(VMax + i);
                }

                var denom = (Vector256.Sqrt(v) / bc2) + eps;
                (p + (step * m / denom)).Store(P + i);
            }
        }

        for (; i < end; i++)
        {
            T p = P[i];
            T g = G[i];
            if (Maximize)
            {
                g = -g;
            }

            if (HasWeightDecay)
            {
                if (Decoupled)
                {
                    p *= DecayFactor;
                }
                else
                {
                    g = VectorOps.Fma(p, WeightDecay, g);
                }
            }

            T m = VectorOps.Fma(g, OneMinusBeta1, M[i] * Beta1);
            T v = (V[i] * Beta2) + (OneMinusBeta2 * g * g);
            M[i] = m;
            V[i] = v;
            if (amsgrad)
            {
                v = T.Max(VMax[i], v);
                VMax[i] = v;
            }

            T denom = (T.Sqrt(v) / Bc2Sqrt) + Eps;
            P[i] = p + (NegStepSize * m / denom);
        }
    }
}
