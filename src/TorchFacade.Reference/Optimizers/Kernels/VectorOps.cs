using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// The few operations the fused kernels need, for <see cref="float"/> and <see cref="double"/>, in vector and scalar form
/// with the same rounding: <c>Fma</c> is one fused multiply-add (LibTorch's vectorized <c>add_(other, alpha)</c> is
/// <c>fmadd(other, alpha, self)</c>), everything else is one IEEE operation.
/// </summary>
internal static class VectorOps
{
    /// <summary><paramref name="a"/>·<paramref name="b"/> + <paramref name="c"/>, rounded once.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">Factor.</param>
    /// <param name="b">Factor.</param>
    /// <param name="c">Addend.</param>
    /// <returns>The fused result.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>Scalar <paramref name="a"/>·<paramref name="b"/> + <paramref name="c"/>, rounded once.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">Factor.</param>
    /// <param name="b">Factor.</param>
    /// <param name="c">Addend.</param>
    /// <returns>The fused result.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Fma<T>(T a, T b, T c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.FusedMultiplyAdd(a, b, c);

    /// <summary>
    /// PyTorch's gradient prologue for the coupled-decay optimizers: g ← −g when maximizing, then g ← g + wd·p (one
    /// fused multiply-add, as LibTorch's <c>grad.add(param, alpha=wd)</c>) when weight decay is on.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="p">The parameter.</param>
    /// <param name="g">The gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="hasWeightDecay">Add the L2 term.</param>
    /// <param name="weightDecay">The L2 factor.</param>
    /// <returns>The effective gradient.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> CoupledGrad<T>(Vector256<T> p, Vector256<T> g, bool maximize, bool hasWeightDecay, Vector256<T> weightDecay)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (maximize)
        {
            g = -g;
        }

        return hasWeightDecay ? Fma(p, weightDecay, g) : g;
    }

    /// <summary>Scalar form of <see cref="CoupledGrad{T}(Vector256{T}, Vector256{T}, bool, bool, Vector256{T})"/>, same rounding.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="p">The parameter.</param>
    /// <param name="g">The gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="hasWeightDecay">Add the L2 term.</param>
    /// <param name="weightDecay">The L2 factor.</param>
    /// <returns>The effective gradient.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CoupledGrad<T>(T p, T g, bool maximize, bool hasWeightDecay, T weightDecay)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (maximize)
        {
            g = -g;
        }

        return hasWeightDecay ? Fma(p, weightDecay, g) : g;
    }

    /// <summary>
    /// LibTorch's CPU <c>lerp(start, end, w)</c> for a scalar weight: <c>fma(w, end − start, start)</c> when |w| &lt; 0.5,
    /// else <c>fma(w − 1, end − start, end)</c> (its vectorized kernel; the scalar one compiles to the same fused form).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="start">Start (the buffer).</param>
    /// <param name="end">End (the gradient).</param>
    /// <param name="small">|w| &lt; 0.5.</param>
    /// <param name="w">The weight.</param>
    /// <param name="wMinusOne">w − 1.</param>
    /// <returns>The interpolation.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Lerp<T>(Vector256<T> start, Vector256<T> end, bool small, Vector256<T> w, Vector256<T> wMinusOne)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var diff = end - start;
        return small ? Fma(w, diff, start) : Fma(wMinusOne, diff, end);
    }

    /// <summary>Scalar form of <see cref="Lerp{T}(Vector256{T}, Vector256{T}, bool, Vector256{T}, Vector256{T})"/>, same rounding.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="start">Start.</param>
    /// <param name="end">End.</param>
    /// <param name="small">|w| &lt; 0.5.</param>
    /// <param name="w">The weight.</param>
    /// <param name="wMinusOne">w − 1.</param>
    /// <returns>The interpolation.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lerp<T>(T start, T end, bool small, T w, T wMinusOne)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T diff = end - start;
        return small ? Fma(w, diff, start) : Fma(wMinusOne, diff, end);
    }
}
