using System.Numerics;
using System.Runtime.Intrinsics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor SGD step for one parameter in one pass, in LibTorch's operation order:
/// <c>g = -g</c> (maximize); <c>g = g + wd·p</c> (fma); <c>buf = g</c> on the first step, else <c>buf = fma(g, 1−τ, buf·μ)</c>;
/// <c>g = fma(buf, μ, g)</c> (nesterov) or <c>g = buf</c>; <c>p = fma(g, −lr, p)</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct SGDKernel<T> : IRangeKernel
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
    public T WeightDecay;
    public T Momentum;
    public T OneMinusDampening;
    public T NegLr;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        // Locals, not fields: stores through the pointers could alias this struct, so the JIT would reload fields every iteration.
        T* lP = P;
        T* lG = G;
        T* lBuf = Buf;
        bool lMaximize = Maximize;
        bool lHasWeightDecay = HasWeightDecay;
        bool lHasMomentum = HasMomentum;
        bool lFirstStep = FirstStep;
        bool lNesterov = Nesterov;
        bool lVector = vectorized && Vector256.IsHardwareAccelerated;
        T lWeightDecay = WeightDecay;
        T lMomentum = Momentum;
        T lOneMinusDampening = OneMinusDampening;
        T lNegLr = NegLr;
        long i = start;
        if (lVector)
        {
            int w = Vector256<T>.Count;
            var wd = Vector256.Create(lWeightDecay);
            var mu = Vector256.Create(lMomentum);
            var damp = Vector256.Create(lOneMinusDampening);
            var negLr = Vector256.Create(lNegLr);
            for (; i + w <= end; i += w)
            {
                var p = Vector256.Load(lP + i);
                var g = VectorOps.CoupledGrad(p, Vector256.Load(lG + i), lMaximize, lHasWeightDecay, wd);

                if (lHasMomentum)
                {
                    var b = lFirstStep ? g : VectorOps.Fma(g, damp, Vector256.Load(lBuf + i) * mu);
                    b.Store(lBuf + i);
                    g = lNesterov ? VectorOps.Fma(b, mu, g) : b;
                }

                VectorOps.Fma(g, negLr, p).Store(lP + i);
            }
        }

        for (; i < end; i++)
        {
            T p = lP[i];
            T g = VectorOps.CoupledGrad(p, lG[i], lMaximize, lHasWeightDecay, lWeightDecay);

            if (lHasMomentum)
            {
                T b = lFirstStep ? g : VectorOps.Fma(g, lOneMinusDampening, lBuf[i] * lMomentum);
                lBuf[i] = b;
                g = lNesterov ? VectorOps.Fma(b, lMomentum, g) : b;
            }

            lP[i] = VectorOps.Fma(g, lNegLr, p);
        }
    }
}
