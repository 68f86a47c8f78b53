using System.Numerics;
using System.Runtime.CompilerServices;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// A scalar <c>lerp</c> weight as LibTorch's CPU kernel uses it: cast to the element type, with its branch (|w| &lt; 0.5)
/// chosen once: <c>fma(w, end − start, start)</c> for small weights, else <c>fma(w − 1, end − start, end)</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct LerpWeight<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Creates the weight.</summary>
    /// <param name="weight">The weight in double, as PyTorch's Python code computes it (e.g. 1 − β1).</param>
    public LerpWeight(double weight)
    {
        W = T.CreateTruncating(weight);
        WMinusOne = W - T.One;
        Small = T.Abs(W) < T.CreateTruncating(0.5);
    }

    /// <summary>The weight in <typeparamref name="T"/>.</summary>
    public T W { get; }

    /// <summary>w − 1, rounded in <typeparamref name="T"/>.</summary>
    public T WMinusOne { get; }

    /// <summary>|w| &lt; 0.5.</summary>
    public bool Small { get; }

    /// <summary>lerp(start, end, w), rounded as LibTorch does.</summary>
    /// <param name="start">The buffer.</param>
    /// <param name="end">The target (the gradient).</param>
    /// <returns>The interpolation.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply(T start, T end) => VectorOps.Lerp(start, end, Small, W, WMinusOne);
}
