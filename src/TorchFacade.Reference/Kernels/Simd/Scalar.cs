using System.Numerics;

namespace TorchFacade.Reference.Kernels.Simd;

/// <summary>One float or double lane: the scalar tail of every kernel and its whole path under <see cref="KernelOptions.ScalarOnly"/>.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="v">The lane.</param>
internal readonly unsafe struct Scalar<T>(T v) : ISimd<Scalar<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T v = v;

    public static int Count => 1;

    public static bool IsHardwareAccelerated => true;

    public static bool IsDouble => typeof(T) == typeof(double);

    private static T True => T.AllBitsSet;

    public static Scalar<T> operator +(Scalar<T> a, Scalar<T> b) => new(a.v + b.v);

    public static Scalar<T> operator -(Scalar<T> a, Scalar<T> b) => new(a.v - b.v);

    public static Scalar<T> operator *(Scalar<T> a, Scalar<T> b) => new(a.v * b.v);

    public static Scalar<T> operator /(Scalar<T> a, Scalar<T> b) => new(a.v / b.v);

    public static Scalar<T> operator -(Scalar<T> a) => new(-a.v);

    public static Scalar<T> operator &(Scalar<T> a, Scalar<T> b) => new(a.v & b.v);

    public static Scalar<T> operator |(Scalar<T> a, Scalar<T> b) => new(a.v | b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Create(double value) => typeof(T) == typeof(float) ? new((T)(object)(float)value) : new((T)(object)value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Load(void* source) => new(*(T*)source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> LoadWidened(float* source) => new(T.CreateTruncating(*source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> FusedMultiplyAdd(Scalar<T> a, Scalar<T> b, Scalar<T> c) => new(T.FusedMultiplyAdd(a.v, b.v, c.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Abs(Scalar<T> x) => new(T.Abs(x.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Sqrt(Scalar<T> x) => new(T.Sqrt(x.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Max(Scalar<T> a, Scalar<T> b) => new(T.Max(a.v, b.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> CopySign(Scalar<T> value, Scalar<T> sign) => new(T.CopySign(value.v, sign.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Round(Scalar<T> x) => new(T.Round(x.v));

    // Two steps, as the vector forms do, so n may reach twice the largest exponent (subnormal and overflowing results).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> ScaleB(Scalar<T> x, Scalar<T> n)
    {
        int ni = int.CreateSaturating(n.v);
        int half = ni >> 1;
        return new(T.ScaleB(T.ScaleB(x.v, half), ni - half));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> GreaterThan(Scalar<T> a, Scalar<T> b) => new(a.v > b.v ? True : T.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> LessThan(Scalar<T> a, Scalar<T> b) => new(a.v < b.v ? True : T.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> LessThanOrEqual(Scalar<T> a, Scalar<T> b) => new(a.v <= b.v ? True : T.Zero);

    // A set mask is all ones, a NaN pattern; a clear one is +0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Select(Scalar<T> mask, Scalar<T> a, Scalar<T> b) => T.IsNaN(mask.v) ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Map(Scalar<T> x, delegate*<double, double> f) => new(T.CreateTruncating(f(double.CreateTruncating(x.v))));

    public static double Sum(Scalar<T> x) => double.CreateTruncating(x.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(void* destination) => *(T*)destination = v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNarrowed(float* destination) => *destination = float.CreateTruncating(v);
}
