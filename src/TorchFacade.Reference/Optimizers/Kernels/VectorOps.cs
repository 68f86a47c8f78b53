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

    /// <summary>Whether the vector loop should run (hardware support for 256-bit vectors of <typeparamref name="T"/>).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <returns>True when vectorized.</returns>
    public static bool Vectorized<T>()
        where T : unmanaged => Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && !ScalarOnly;

    /// <summary>Forces the scalar path on the calling thread (tests run the kernels both ways, like ImageSharp's intrinsics-off runs); read once per update on the thread that calls <c>Step</c>.</summary>
    public static bool ScalarOnly
    {
        get => scalarOnly;
        set => scalarOnly = value;
    }

    [ThreadStatic]
    private static bool scalarOnly;
}
