using System.Numerics;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor Adagrad step for one parameter in one pass, in LibTorch's operation order:
/// <c>g = -g</c> (maximize); <c>g = fma(p, wd, g)</c>; <c>sum = sum + g·g</c>; <c>std = √sum + eps</c>;
/// <c>p = p + (−clr·g) / std</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct AdagradKernel<T> : IChunkKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* Sum;
    public bool Maximize;
    public bool HasWeightDecay;
    public bool Vector;
    public T WeightDecay;
    public T Eps;
    public T NegClr;

    /// <inheritdoc />
    public readonly void Run(long start, long end)
    {
        long i = start;
        if (Vector)
        {
            int w = Vector256<T>.Count;
            var wd = Vector256.Create(WeightDecay);
            var eps = Vector256.Create(Eps);
            var clr = Vector256.Create(NegClr);
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

                var s = Vector256.Load(Sum + i) + (g * g);
                s.Store(Sum + i);
                var std = Vector256.Sqrt(s) + eps;
                (p + (clr * g / std)).Store(P + i);
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

            T s = Sum[i] + (g * g);
            Sum[i] = s;
            T std = T.Sqrt(s) + Eps;
            P[i] = p + (NegClr * g / std);
        }
    }
}
