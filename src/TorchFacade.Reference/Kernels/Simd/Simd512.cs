using System.Numerics;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Kernels.Simd;

/// <summary>Sixteen float or eight double lanes (<see cref="Vector512{T}"/>).</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="v">The lanes.</param>
internal readonly unsafe struct Simd512<T>(Vector512<T> v) : ISimd<Simd512<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Vector512<T> v = v;

    public static int Count => Vector512<T>.Count;

    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    public static bool IsDouble => typeof(T) == typeof(double);

    public static Simd512<T> operator +(Simd512<T> a, Simd512<T> b) => new(a.v + b.v);

    public static Simd512<T> operator -(Simd512<T> a, Simd512<T> b) => new(a.v - b.v);

    public static Simd512<T> operator *(Simd512<T> a, Simd512<T> b) => new(a.v * b.v);

    public static Simd512<T> operator /(Simd512<T> a, Simd512<T> b) => new(a.v / b.v);

    public static Simd512<T> operator -(Simd512<T> a) => new(-a.v);

    public static Simd512<T> operator &(Simd512<T> a, Simd512<T> b) => new(a.v & b.v);

    public static Simd512<T> operator |(Simd512<T> a, Simd512<T> b) => new(a.v | b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Create(double value) => typeof(T) == typeof(float)
        ? new(Vector512.Create((float)value).As<float, T>())
        : new(Vector512.Create(value).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Load(void* source) => new(Vector512.Load((T*)source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> LoadWidened(float* source)
    {
        var f = Vector256.Load(source);
        return new(Vector512.Create(Vector256.WidenLower(f), Vector256.WidenUpper(f)).As<double, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> FusedMultiplyAdd(Simd512<T> a, Simd512<T> b, Simd512<T> c) => typeof(T) == typeof(float)
        ? new(Vector512.FusedMultiplyAdd(a.v.AsSingle(), b.v.AsSingle(), c.v.AsSingle()).As<float, T>())
        : new(Vector512.FusedMultiplyAdd(a.v.AsDouble(), b.v.AsDouble(), c.v.AsDouble()).As<double, T>());

    public static Simd512<T> Abs(Simd512<T> x) => new(Vector512.Abs(x.v));

    public static Simd512<T> Sqrt(Simd512<T> x) => new(Vector512.Sqrt(x.v));

    public static Simd512<T> Max(Simd512<T> a, Simd512<T> b) => new(Vector512.Max(a.v, b.v));

    public static Simd512<T> CopySign(Simd512<T> value, Simd512<T> sign) => new(Vector512.CopySign(value.v, sign.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Round(Simd512<T> x) => typeof(T) == typeof(float)
        ? new(Vector512.Round(x.v.AsSingle()).As<float, T>())
        : new(Vector512.Round(x.v.AsDouble()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> ScaleB(Simd512<T> x, Simd512<T> n)
    {
        if (typeof(T) == typeof(float))
        {
            var ni = Vector512.ConvertToInt32(n.v.AsSingle());
            var half = ni >> 1;
            var s1 = ((half + Vector512.Create(127)) << 23).AsSingle();
            var s2 = ((ni - half + Vector512.Create(127)) << 23).AsSingle();
            return new((x.v.AsSingle() * s1 * s2).As<float, T>());
        }

        var nl = Vector512.ConvertToInt64(n.v.AsDouble());
        var h = nl >> 1;
        var d1 = ((h + Vector512.Create(1023L)) << 52).AsDouble();
        var d2 = ((nl - h + Vector512.Create(1023L)) << 52).AsDouble();
        return new((x.v.AsDouble() * d1 * d2).As<double, T>());
    }

    public static Simd512<T> GreaterThan(Simd512<T> a, Simd512<T> b) => new(Vector512.GreaterThan(a.v, b.v));

    public static Simd512<T> LessThan(Simd512<T> a, Simd512<T> b) => new(Vector512.LessThan(a.v, b.v));

    public static Simd512<T> LessThanOrEqual(Simd512<T> a, Simd512<T> b) => new(Vector512.LessThanOrEqual(a.v, b.v));

    public static Simd512<T> Select(Simd512<T> mask, Simd512<T> a, Simd512<T> b) => new(Vector512.ConditionalSelect(mask.v, a.v, b.v));

    public static Simd512<T> Map(Simd512<T> x, delegate*<double, double> f)
    {
        var r = x.v;
        for (int k = 0; k < Vector512<T>.Count; k++)
        {
            r = r.WithElement(k, T.CreateTruncating(f(double.CreateTruncating(x.v[k]))));
        }

        return new(r);
    }

    public static double Sum(Simd512<T> x) => double.CreateTruncating(Vector512.Sum(x.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(void* destination) => v.Store((T*)destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNarrowed(float* destination)
    {
        var d = v.AsDouble();
        Vector256.Narrow(d.GetLower(), d.GetUpper()).Store(destination);
    }
}
