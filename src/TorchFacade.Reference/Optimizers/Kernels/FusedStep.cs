using System.Numerics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// The one fused CPU pass of every elementwise reference optimizer: for each element it loads the parameter, the
/// gradient and up to three state buffers, applies PyTorch's gradient prologue (<c>g = −g</c> for maximize; then
/// decoupled decay <c>p = p·(1 − lr·wd)</c> or the L2 term <c>g = fma(p, wd, g)</c>, LibTorch's
/// <c>grad.add(param, alpha=wd)</c>), hands the lanes to the optimizer's <typeparamref name="TRule"/> and stores the
/// parameter and the buffers that are present. The widest accelerated vectors run first, then the scalar tail, all
/// through <see cref="KernelLoop"/> (split across cores for large tensors).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TRule">The optimizer's update.</typeparam>
internal unsafe struct FusedStep<T, TRule> : IRangeKernel, ElementwiseKernel.ILaneLoop
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TRule : struct, IStepRule
{
    /// <summary>The parameter.</summary>
    public T* P;

    /// <summary>The gradient.</summary>
    public T* G;

    /// <summary>The first state buffer, or null.</summary>
    public T* S0;

    /// <summary>The second state buffer, or null.</summary>
    public T* S1;

    /// <summary>The third state buffer, or null.</summary>
    public T* S2;

    /// <summary>Negate the gradient first.</summary>
    public bool Maximize;

    /// <summary>Apply weight decay.</summary>
    public bool HasWeightDecay;

    /// <summary>Decay the parameter (p·(1 − lr·wd)) instead of adding the L2 term to the gradient.</summary>
    public bool Decoupled;

    /// <summary>Add the L2 term as <c>g + wd·p</c> rounded twice (PyTorch's complex arithmetic before <c>view_as_real</c>) instead of one fused multiply-add.</summary>
    public bool UnfusedDecay;

    /// <summary>The L2 factor wd.</summary>
    public double WeightDecay;

    /// <summary>1 − lr·wd (decoupled decay).</summary>
    public double DecayFactor;

    /// <summary>The optimizer's update with its hyperparameters.</summary>
    public TRule Rule;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized) => ElementwiseKernel.Widths<T, FusedStep<T, TRule>>(this, start, end, vectorized);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public readonly long Run<TV>(long i, long end)
        where TV : struct, ISimd<TV>
    {
        // Locals, not fields: stores through the pointers could alias this struct, so the JIT would reload fields every iteration.
        T* lP = P, lG = G, l0 = S0, l1 = S1, l2 = S2;
        bool maximize = Maximize, hasWd = HasWeightDecay, decoupled = Decoupled, unfused = UnfusedDecay;
        TV wd = TV.Create(WeightDecay), decay = TV.Create(DecayFactor);
        TRule rule = Rule;
        for (; i + TV.Count <= end; i += TV.Count)
        {
            TV p = TV.Load(lP + i);
            TV g = TV.Load(lG + i);
            TV s0 = l0 != null ? TV.Load(l0 + i) : default;
            TV s1 = l1 != null ? TV.Load(l1 + i) : default;
            TV s2 = l2 != null ? TV.Load(l2 + i) : default;
            if (maximize)
            {
                g = -g;
            }

            if (hasWd)
            {
                if (decoupled)
                {
                    p *= decay;
                }
                else
                {
                    g = unfused ? g + (p * wd) : TV.FusedMultiplyAdd(p, wd, g);
                }
            }

            rule.Apply(ref p, g, ref s0, ref s1, ref s2);
            p.Store(lP + i);
            if (l0 != null)
            {
                s0.Store(l0 + i);
            }

            if (l1 != null)
            {
                s1.Store(l1 + i);
            }

            if (l2 != null)
            {
                s2.Store(l2 + i);
            }
        }

        return i;
    }
}
