using System.Numerics;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// The .NET element type of each torch dtype the interop supports:
/// <c>bool</c>, <c>byte</c> (uint8), <c>sbyte</c> (int8), <c>short</c>, <c>int</c>, <c>long</c>, <see cref="Half"/>,
/// <see cref="BFloat16"/> (TorchSharp's own 2-byte bfloat16 struct), <c>float</c>, <c>double</c> and
/// <see cref="Complex"/> (complex128). complex64 has no .NET counterpart: use <c>torch.view_as_real(t)</c> and
/// <c>float</c>. Unsigned 16/32/64-bit types have no dtype in TorchSharp 0.107.
/// </summary>
internal static class InteropElementTypes
{
    internal const string Supported =
        "bool, byte, sbyte, short, int, long, Half, TorchSharp.BFloat16, float, double, System.Numerics.Complex";

    /// <summary>The dtype whose elements are <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no torch dtype.</exception>
    internal static torch.ScalarType ScalarTypeOf<T>(string member = "")
        where T : unmanaged
    {
        Type t = typeof(T);
        if (t == typeof(float)) { return torch.ScalarType.Float32; }
        if (t == typeof(double)) { return torch.ScalarType.Float64; }
        if (t == typeof(int)) { return torch.ScalarType.Int32; }
        if (t == typeof(long)) { return torch.ScalarType.Int64; }
        if (t == typeof(bool)) { return torch.ScalarType.Bool; }
        if (t == typeof(byte)) { return torch.ScalarType.Byte; }
        if (t == typeof(sbyte)) { return torch.ScalarType.Int8; }
        if (t == typeof(short)) { return torch.ScalarType.Int16; }
        if (t == typeof(Half)) { return torch.ScalarType.Float16; }
        if (t == typeof(BFloat16)) { return torch.ScalarType.BFloat16; }
        if (t == typeof(Complex)) { return torch.ScalarType.ComplexFloat64; }

        throw new NotSupportedException(
            (member.Length == 0 ? string.Empty : member + ": ") + $"{t.Name} has no torch dtype. Supported element types: {Supported}."
            + (t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong)
                ? " (TorchSharp 0.107 has no uint16/uint32/uint64 dtype; use the next wider signed type.)"
                : string.Empty));
    }

    /// <summary>
    /// The address alignment LibTorch's kernels assume for a dtype: the element size, except complex128 (16, because
    /// <c>c10::complex&lt;double&gt;</c> is <c>alignas(16)</c> and its kernels use aligned vector loads) and complex64 (8).
    /// Handing LibTorch less-aligned memory crashes the process in those kernels.
    /// </summary>
    internal static int AlignmentOf(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.ComplexFloat64 => 16,
        torch.ScalarType.ComplexFloat32 or torch.ScalarType.Float64 or torch.ScalarType.Int64 => 8,
        torch.ScalarType.Float32 or torch.ScalarType.Int32 => 4,
        torch.ScalarType.Float16 or torch.ScalarType.BFloat16 or torch.ScalarType.Int16 => 2,
        _ => 1,
    };

    /// <summary>The .NET type name that matches <paramref name="dtype"/>, for error messages.</summary>
    internal static string DotNetNameOf(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => "float",
        torch.ScalarType.Float64 => "double",
        torch.ScalarType.Int32 => "int",
        torch.ScalarType.Int64 => "long",
        torch.ScalarType.Bool => "bool",
        torch.ScalarType.Byte => "byte",
        torch.ScalarType.Int8 => "sbyte",
        torch.ScalarType.Int16 => "short",
        torch.ScalarType.Float16 => "Half",
        torch.ScalarType.BFloat16 => "BFloat16",
        torch.ScalarType.ComplexFloat64 => "Complex",
        torch.ScalarType.ComplexFloat32 => "no .NET type (use torch.view_as_real and float)",
        _ => "no .NET type",
    };

    /// <summary>PyTorch's name of a dtype (<c>float32</c>, <c>int64</c>, ...).</summary>
    internal static string TorchNameOf(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.Float64 => "float64",
        torch.ScalarType.Int32 => "int32",
        torch.ScalarType.Int64 => "int64",
        torch.ScalarType.Bool => "bool",
        torch.ScalarType.Byte => "uint8",
        torch.ScalarType.Int8 => "int8",
        torch.ScalarType.Int16 => "int16",
        torch.ScalarType.Float16 => "float16",
        torch.ScalarType.BFloat16 => "bfloat16",
        torch.ScalarType.ComplexFloat32 => "complex64",
        torch.ScalarType.ComplexFloat64 => "complex128",
        _ => dtype.ToString(),
    };

    /// <summary>LibTorch's C++ name of a dtype, as its error messages print it (<c>Float</c>, <c>Long</c>, <c>ComplexFloat</c>, ...).</summary>
    internal static string CppNameOf(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => "Float",
        torch.ScalarType.Float64 => "Double",
        torch.ScalarType.Int32 => "Int",
        torch.ScalarType.Int64 => "Long",
        torch.ScalarType.Int8 => "Char",
        torch.ScalarType.Int16 => "Short",
        torch.ScalarType.Float16 => "Half",
        torch.ScalarType.ComplexFloat32 => "ComplexFloat",
        torch.ScalarType.ComplexFloat64 => "ComplexDouble",
        _ => dtype.ToString(),
    };

    /// <summary>Validates a shape against an element count; an empty shape means <c>[length]</c>.</summary>
    /// <exception cref="ArgumentException">A negative dimension, or the product differs from <paramref name="length"/>.</exception>
    internal static long[] ResolveShape(long[]? shape, long length, string member)
    {
        if (shape is null || shape.Length == 0)
        {
            return [length];
        }

        long product = 1;
        foreach (long dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException(
                    $"{member}: shape [{string.Join(", ", shape)}] has a negative dimension; every dimension must be >= 0.");
            }

            try
            {
                product = checked(product * dim);
            }
            catch (OverflowException)
            {
                throw new ArgumentException($"{member}: shape [{string.Join(", ", shape)}] has more elements than a long can count.");
            }
        }

        if (product != length)
        {
            throw new ArgumentException(
                $"{member}: shape [{string.Join(", ", shape)}] has {product} elements but the data has {length}; "
                + "the shape's product must equal the data's length.");
        }

        return (long[])shape.Clone();
    }
}
