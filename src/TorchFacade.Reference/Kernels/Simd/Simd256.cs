using System.Numerics;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Kernels.Simd;

/// <summary>Eight float or four double lanes (<see cref="Vector256{T}"/>).</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="v">The lanes.</param>
internal readonly unsafe struct Simd256<T>(Vector256<T> v) : ISimd<Simd256<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Vector256<T> v = v;

    public static int Count => Vector256<T>.Count;

    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    public static bool IsDouble => typeof(T) == typeof(double);

    public static Simd256<T> operator +(Simd256<T> a, Simd256<T> b) => new(a.v + b.v);

    public static Simd256<T> operator -(Simd256<T> a, Simd256<T> b) => new(a.v - b.v);

    public static Simd256<T> operator *(Simd256<T> a, Simd256<T> b) => new(a.v * b.v);

    public static Simd256<T> operator /(Simd256<T> a, Simd256<T> b) => new(a.v / b.v);

    public static Simd256<T> operator -(Simd256<T> a) => new(-a.v);

    public static Simd256<T> operator &(Simd256<T> a, Simd256<T> b) => new(a.v & b.v);

    public static Simd256<T> operator |(Simd256<T> a, Simd256<T> b) => new(a.v | b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Create(double value) => typeof(T) == typeof(float)
        ? new(Vector256.Create((float)value).As<float, T>())
        : new(Vector256.Create(value).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Load(void* source) => new(Vector256.Load((T*)source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> LoadWidened(float* source)
    {
        var f = Vector128.Load(source);
        return new(Vector256.Create(Vector128.WidenLower(f), Vector128.WidenUpper(f)).As<double, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> FusedMultiplyAdd(Simd256<T> a, Simd256<T> b, Simd256<T> c) => typeof(T) == typeof(float)
        ? new(Vector256.FusedMultiplyAdd(a.v.AsSingle(), b.v.AsSingle(), c.v.AsSingle()).As<float, T>())
        : new(Vector256.FusedMultiplyAdd(a.v.AsDouble(), b.v.AsDouble(), c.v.AsDouble()).As<double, T>());

    public static Simd256<T> Abs(Simd256<T> x) => new(Vector256.Abs(x.v));

    public static Simd256<T> Sqrt(Simd256<T> x) => new(Vector256.Sqrt(x.v));

    public static Simd256<T> Max(Simd256<T> a, Simd256<T> b) => new(Vector256.Max(a.v, b.v));

    public static Simd256<T> CopySign(Simd256<T> value, Simd256<T> sign) => new(Vector256.CopySign(value.v, sign.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Round(Simd256<T> x) => typeof(T) == typeof(float)
        ? new(Vector256.Round(x.v.AsSingle()).As<float, T>())
        : new(Vector256.Round(x.v.AsDouble()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> ScaleB(Simd256<T> x, Simd256<T> n)
    {
        if (typeof(T) == typeof(float))
        {
            var ni = Vector256.ConvertToInt32(n.v.AsSingle());
            var half = ni >> 1;
            var s1 = ((half + Vector256.Create(127)) << 23).AsSingle();
            var s2 = ((ni - half + Vector256.Create(127)) << 23).AsSingle();
            return new((x.v.AsSingle() * s1 * s2).As<float, T>());
        }

        var nl = Vector256.ConvertToInt64(n.v.AsDouble());
        var h = nl >> 1;
        var d1 = ((h + Vector256.Create(1023L)) << 52).AsDouble();
        var d2 = ((nl - h + Vector256.Create(1023L)) << 52).AsDouble();
        return new((x.v.AsDouble() * d1 * d2).As<double, T>());
    }

    public static Simd256<T> GreaterThan(Simd256<T> a, Simd256<T> b) => new(Vector256.GreaterThan(a.v, b.v));

    public static Simd256<T> LessThan(Simd256<T> a, Simd256<T> b) => new(Vector256.LessThan(a.v, b.v));

    public static Simd256<T> LessThanOrEqual(Simd256<T> a, Simd256<T> b) => new(Vector256.LessThanOrEqual(a.v, b.v));

    public static Simd256<T> Select(Simd256<T> mask, Simd256<T> a, Simd256<T> b) => new(Vector256.ConditionalSelect(mask.v, a.v, b.v));

    public static Simd256<T> Map(Simd256<T> x, delegate*<double, double> f)
    {
        var r = x.v;
        for (int k = 0; k < Vector256<T>.Count; k++)
        {
            r = r.WithElement(k, T.CreateTruncating(f(double.CreateTruncating(x.v[k]))));
        }

        return new(r);
    }

    public static double Sum(Simd256<T> x) => double.CreateTruncating(Vector256.Sum(x.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(void* destination) => v.Store((T*)destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNarrowed(float* destination)
    {
        var d = v.AsDouble();
        Vector128.Narrow(d.GetLower(), d.GetUpper()).Store(destination);
    }
}
