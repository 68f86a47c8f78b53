using System.Numerics;
using System.Runtime.Intrinsics;

namespace TorchFacade.Reference.Kernels.Simd;

/// <summary>Four float or two double lanes (<see cref="Vector128{T}"/>).</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="v">The lanes.</param>
internal readonly unsafe struct Simd128<T>(Vector128<T> v) : ISimd<Simd128<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Vector128<T> v = v;

    public static int Count => Vector128<T>.Count;

    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    public static bool IsDouble => typeof(T) == typeof(double);

    public static Simd128<T> operator +(Simd128<T> a, Simd128<T> b) => new(a.v + b.v);

    public static Simd128<T> operator -(Simd128<T> a, Simd128<T> b) => new(a.v - b.v);

    public static Simd128<T> operator *(Simd128<T> a, Simd128<T> b) => new(a.v * b.v);

    public static Simd128<T> operator /(Simd128<T> a, Simd128<T> b) => new(a.v / b.v);

    public static Simd128<T> operator -(Simd128<T> a) => new(-a.v);

    public static Simd128<T> operator &(Simd128<T> a, Simd128<T> b) => new(a.v & b.v);

    public static Simd128<T> operator |(Simd128<T> a, Simd128<T> b) => new(a.v | b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Create(double value) => typeof(T) == typeof(float)
        ? new(Vector128.Create((float)value).As<float, T>())
        : new(Vector128.Create(value).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Load(void* source) => new(Vector128.Load((T*)source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> LoadWidened(float* source)
    {
        var f = Vector64.Load(source);
        return new(Vector128.Create(Vector64.WidenLower(f), Vector64.WidenUpper(f)).As<double, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> FusedMultiplyAdd(Simd128<T> a, Simd128<T> b, Simd128<T> c) => typeof(T) == typeof(float)
        ? new(Vector128.FusedMultiplyAdd(a.v.AsSingle(), b.v.AsSingle(), c.v.AsSingle()).As<float, T>())
        : new(Vector128.FusedMultiplyAdd(a.v.AsDouble(), b.v.AsDouble(), c.v.AsDouble()).As<double, T>());

    public static Simd128<T> Abs(Simd128<T> x) => new(Vector128.Abs(x.v));

    public static Simd128<T> Sqrt(Simd128<T> x) => new(Vector128.Sqrt(x.v));

    public static Simd128<T> Max(Simd128<T> a, Simd128<T> b) => new(Vector128.Max(a.v, b.v));

    public static Simd128<T> CopySign(Simd128<T> value, Simd128<T> sign) => new(Vector128.CopySign(value.v, sign.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Round(Simd128<T> x) => typeof(T) == typeof(float)
        ? new(Vector128.Round(x.v.AsSingle()).As<float, T>())
        : new(Vector128.Round(x.v.AsDouble()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> ScaleB(Simd128<T> x, Simd128<T> n)
    {
        if (typeof(T) == typeof(float))
        {
            var ni = Vector128.ConvertToInt32(n.v.AsSingle());
            var half = ni >> 1;
            var s1 = ((half + Vector128.Create(127)) << 23).AsSingle();
            var s2 = ((ni - half + Vector128.Create(127)) << 23).AsSingle();
            return new((x.v.AsSingle() * s1 * s2).As<float, T>());
        }

        var nl = Vector128.ConvertToInt64(n.v.AsDouble());
        var h = nl >> 1;
        var d1 = ((h + Vector128.Create(1023L)) << 52).AsDouble();
        var d2 = ((nl - h + Vector128.Create(1023L)) << 52).AsDouble();
        return new((x.v.AsDouble() * d1 * d2).As<double, T>());
    }

    public static Simd128<T> GreaterThan(Simd128<T> a, Simd128<T> b) => new(Vector128.GreaterThan(a.v, b.v));

    public static Simd128<T> LessThan(Simd128<T> a, Simd128<T> b) => new(Vector128.LessThan(a.v, b.v));

    public static Simd128<T> LessThanOrEqual(Simd128<T> a, Simd128<T> b) => new(Vector128.LessThanOrEqual(a.v, b.v));

    public static Simd128<T> Select(Simd128<T> mask, Simd128<T> a, Simd128<T> b) => new(Vector128.ConditionalSelect(mask.v, a.v, b.v));

    public static Simd128<T> Map(Simd128<T> x, delegate*<double, double> f)
    {
        var r = x.v;
        for (int k = 0; k < Vector128<T>.Count; k++)
        {
            r = r.WithElement(k, T.CreateTruncating(f(double.CreateTruncating(x.v[k]))));
        }

        return new(r);
    }

    public static double Sum(Simd128<T> x) => double.CreateTruncating(Vector128.Sum(x.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(void* destination) => v.Store((T*)destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNarrowed(float* destination)
    {
        var d = v.AsDouble();
        Vector64.Narrow(d.GetLower(), d.GetUpper()).Store(destination);
    }
}
