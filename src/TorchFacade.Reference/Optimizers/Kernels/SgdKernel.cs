using System.Numerics;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor SGD step for one parameter in one pass, in LibTorch's operation order:
/// <c>g = -g</c> (maximize); <c>g = g + wd·p</c> (fma); <c>buf = g</c> on the first step, else <c>buf = fma(g, 1−τ, buf·μ)</c>;
/// <c>g = fma(buf, μ, g)</c> (nesterov) or <c>g = buf</c>; <c>p = fma(g, −lr, p)</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct SgdKernel<T> : IChunkKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* Buf;
    public bool Maximize;
    public bool HasWeightDecay;
    public bool HasMomentum;
    public bool FirstStep;
    public bool Nesterov;
    public bool Vector;
    public T WeightDecay;
    public T Momentum;
    public T OneMinusDampening;
    public T NegLr;

    /// <inheritdoc />
    public readonly void Run(long start, long end)
    {
        long i = start;
        if (Vector)
        {
            int w = Vector256<T>.Count;
            var wd = Vector256.Create(WeightDecay);
            var mu = Vector256.Create(Momentum);
            var damp = Vector256.Create(OneMinusDampening);
            var negLr = Vector256.Create(NegLr);
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
                    g = VectorOps.Fma(p, wd, g);
                }

                if (HasMomentum)
                {
                    var b = FirstStep ? g : VectorOps.Fma(g, damp, Vector256.Load(Buf + i) * mu);
                    b.Store(Buf + i);
                    g = Nesterov ? VectorOps.Fma(b, mu, g) : b;
                }

                VectorOps.Fma(g, negLr, p).Store(P + i);
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
                g = VectorOps.Fma(p, WeightDecay, g);
            }

            if (HasMomentum)
            {
                T b = FirstStep ? g : VectorOps.Fma(g, OneMinusDampening, Buf[i] * Momentum);
                Buf[i] = b;
                g = Nesterov ? VectorOps.Fma(b, Momentum, g) : b;
            }

            P[i] = VectorOps.Fma(g, NegLr, p);
        }
    }
}
