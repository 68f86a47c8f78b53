using System.Numerics;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor RMSprop step for one parameter in one pass, in LibTorch's operation order:
/// <c>g = -g</c> (maximize); <c>g = fma(p, wd, g)</c>; <c>sq = sq·α + ((1−α)·g)·g</c>; centered:
/// <c>ga = fma(g, 1−α, ga·α)</c>, <c>avg = √(sq − ga·ga) + eps</c>, else <c>avg = √sq + eps</c>; momentum:
/// <c>buf = buf·μ + g/avg</c>, <c>p = fma(buf, −lr, p)</c>, else <c>p = p + (−lr·g)/avg</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct RmsPropKernel<T> : IChunkKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* SquareAvg;
    public T* GradAvg;
    public T* Buf;
    public bool Maximize;
    public bool HasWeightDecay;
    public bool Vector;
    public T WeightDecay;
    public T Alpha;
    public T OneMinusAlpha;
    public T Eps;
    public T Momentum;
    public T NegLr;

    /// <inheritdoc />
    public readonly void Run(long start, long end)
    {
        long i = start;
        bool centered = GradAvg != null;
        bool momentum = Buf != null;
        if (Vector)
        {
            int w = Vector256<T>.Count;
            var wd = Vector256.Create(WeightDecay);
            var alpha = Vector256.Create(Alpha);
            var oma = Vector256.Create(OneMinusAlpha);
            var eps = Vector256.Create(Eps);
            var mu = Vector256.Create(Momentum);
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

                var sq = (Vector256.Load(SquareAvg + i) * alpha) + (oma * g * g);
                sq.Store(SquareAvg + i);
                Vector256<T> avg;
                if (centered)
                {
                    var ga = VectorOps.Fma(g, oma, Vector256.Load(GradAvg + i) * alpha);
                    ga.Store(GradAvg + i);
                    avg = Vector256.Sqrt(sq + (-ga * ga)) + eps;
                }
                else
                {
                    avg = Vector256.Sqrt(sq) + eps;
                }

                if (momentum)
                {
                    var b = (Vector256.Load(Buf + i) * mu) + (g / avg);
                    b.Store(Buf + i);
                    VectorOps.Fma(b, negLr, p).Store(P + i);
                }
                else
                {
                    (p + (negLr * g / avg)).Store(P + i);
                }
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

            T sq = (SquareAvg[i] * Alpha) + (OneMinusAlpha * g * g);
            SquareAvg[i] = sq;
            T avg;
            if (centered)
            {
                T ga = VectorOps.Fma(g, OneMinusAlpha, GradAvg[i] * Alpha);
                GradAvg[i] = ga;
                avg = T.Sqrt(sq + (-ga * ga)) + Eps;
            }
            else
            {
                avg = T.Sqrt(sq) + Eps;
            }

            if (momentum)
            {
                T b = (Buf[i] * Momentum) + (g / avg);
                Buf[i] = b;
                P[i] = VectorOps.Fma(b, NegLr, p);
            }
            else
            {
                P[i] = p + (NegLr * g / avg);
            }
        }
    }
}
