using System.Numerics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// PyTorch's single-tensor NAdam step for one parameter in one pass, in LibTorch's rounding: <c>g = -g</c> (maximize);
/// decoupled: <c>p = p·(1 − lr·wd)</c>, else <c>g = fma(p, wd, g)</c>; <c>m = lerp(m, g, 1−β1)</c>;
/// <c>v = fma((1−β2)·g, g, v·β2)</c>; <c>d = √(v / bc2) + eps</c>; <c>p = p + (c1·g)/d</c>; <c>p = p + (c2·m)/d</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct NAdamKernel<T> : IRangeKernel
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T* P;
    public T* G;
    public T* M;
    public T* V;
    public bool Maximize;
    public bool Decoupled;
    public bool HasWeightDecay;
    public T WeightDecay;
    public T DecayFactor;
    public LerpWeight<T> Lerp;
    public T Beta2;
    public T OneMinusBeta2;
    public T Bc2;
    public T Eps;
    public T GradCoefficient;
    public T MomentCoefficient;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        T* lP = P, lG = G, lM = M, lV = V;
        bool maximize = Maximize, decoupled = Decoupled, hasWd = HasWeightDecay;
        T wd = WeightDecay, decay = DecayFactor, b2 = Beta2, omb2 = OneMinusBeta2, bc2 = Bc2, eps = Eps, c1 = GradCoefficient, c2 = MomentCoefficient;
        LerpWeight<T> lerp = Lerp;
        for (long i = start; i < end; i++)
        {
            T p = lP[i];
            T g = maximize ? -lG[i] : lG[i];
            if (hasWd)
            {
                if (decoupled)
                {
                    p *= decay;
                }
                else
                {
                    g = VectorOps.Fma(p, wd, g);
                }
            }

            T m = lerp.Apply(lM[i], g);
            T v = VectorOps.Fma(omb2 * g, g, lV[i] * b2);
            lM[i] = m;
            lV[i] = v;
            T d = T.Sqrt(v / bc2) + eps;
            p += c1 * g / d;
            lP[i] = p + (c2 * m / d);
        }
    }
}
