using TorchSharp;

namespace TorchFacade;

/// <summary>
/// The dtypes the checkpoint formats name, with LibTorch's own <see cref="torch.ScalarType"/> numbers for those
/// TorchSharp 0.107 has no name for (float8 variants, uint16/32/64, complex32): such tensors load with that raw
/// value as their dtype (<c>(ScalarType)27</c> is uint16), exactly as LibTorch holds them.
/// </summary>
internal static class CheckpointDTypes
{
    internal const torch.ScalarType ComplexHalf = (torch.ScalarType)8;
    internal const torch.ScalarType Float8E5M2 = (torch.ScalarType)23;
    internal const torch.ScalarType Float8E4M3Fn = (torch.ScalarType)24;
    internal const torch.ScalarType Float8E5M2Fnuz = (torch.ScalarType)25;
    internal const torch.ScalarType Float8E4M3Fnuz = (torch.ScalarType)26;
    internal const torch.ScalarType UInt16 = (torch.ScalarType)27;
    internal const torch.ScalarType UInt32 = (torch.ScalarType)28;
    internal const torch.ScalarType UInt64 = (torch.ScalarType)29;
    internal const torch.ScalarType Float8E8M0Fnu = (torch.ScalarType)44;

    // PyTorch's dtype name (str(dtype) without "torch."), its ScalarType, its element size and its legacy storage class
    // (null for the dtypes PyTorch 2.x pickles through UntypedStorage and _rebuild_tensor_v3).
    private static readonly (string Name, torch.ScalarType Type, int Size, string? Storage)[] Table =
    [
        ("float64", torch.ScalarType.Float64, 8, "DoubleStorage"),
        ("float32", torch.ScalarType.Float32, 4, "FloatStorage"),
        ("float16", torch.ScalarType.Float16, 2, "HalfStorage"),
        ("bfloat16", torch.ScalarType.BFloat16, 2, "BFloat16Storage"),
        ("int64", torch.ScalarType.Int64, 8, "LongStorage"),
        ("int32", torch.ScalarType.Int32, 4, "IntStorage"),
        ("int16", torch.ScalarType.Int16, 2, "ShortStorage"),
        ("int8", torch.ScalarType.Int8, 1, "CharStorage"),
        ("uint8", torch.ScalarType.Byte, 1, "ByteStorage"),
        ("bool", torch.ScalarType.Bool, 1, "BoolStorage"),
        ("complex64", torch.ScalarType.ComplexFloat32, 8, "ComplexFloatStorage"),
        ("complex128", torch.ScalarType.ComplexFloat64, 16, "ComplexDoubleStorage"),
        ("complex32", ComplexHalf, 4, null),
        ("uint16", UInt16, 2, null),
        ("uint32", UInt32, 4, null),
        ("uint64", UInt64, 8, null),
        ("float8_e5m2", Float8E5M2, 1, null),
        ("float8_e4m3fn", Float8E4M3Fn, 1, null),
        ("float8_e5m2fnuz", Float8E5M2Fnuz, 1, null),
        ("float8_e4m3fnuz", Float8E4M3Fnuz, 1, null),
        ("float8_e8m0fnu", Float8E8M0Fnu, 1, null),
    ];

    // PyTorch's aliases that str(dtype) never writes but a hand-made pickle might (torch.float is torch.float32).
    private static readonly (string Alias, string Name)[] Aliases =
    [
        ("float", "float32"), ("double", "float64"), ("half", "float16"), ("long", "int64"), ("int", "int32"),
        ("short", "int16"), ("cfloat", "complex64"), ("cdouble", "complex128"), ("chalf", "complex32"),
    ];

    /// <summary>The dtype torch names <paramref name="name"/> (<c>float32</c>, <c>uint16</c>, ...), if this module knows it.</summary>
    internal static bool TryFromTorchName(string name, out torch.ScalarType type)
    {
        foreach ((string alias, string canonical) in Aliases)
        {
            if (alias == name)
            {
                name = canonical;
            }
        }

        foreach (var row in Table)
        {
            if (row.Name == name)
            {
                type = row.Type;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>The dtype of a legacy typed storage class (<c>FloatStorage</c> is float32).</summary>
    internal static bool TryFromStorageClass(string name, out torch.ScalarType type)
    {
        foreach (var row in Table)
        {
            if (row.Storage == name)
            {
                type = row.Type;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>PyTorch's name of the dtype (<c>float32</c>), or null if torch has none this module knows.</summary>
    internal static string? TorchName(torch.ScalarType type)
    {
        foreach (var row in Table)
        {
            if (row.Type == type)
            {
                return row.Name;
            }
        }

        return null;
    }

    /// <summary>The legacy storage class PyTorch pickles for the dtype, or null for the dtypes pickled as UntypedStorage.</summary>
    internal static string? StorageClass(torch.ScalarType type)
    {
        foreach (var row in Table)
        {
            if (row.Type == type)
            {
                return row.Storage;
            }
        }

        return null;
    }

    /// <summary>The element size in bytes, or 0 for a dtype this module does not know (quantized, sub-byte).</summary>
    internal static int ElementSize(torch.ScalarType type)
    {
        foreach (var row in Table)
        {
            if (row.Type == type)
            {
                return row.Size;
            }
        }

        return 0;
    }

    /// <summary>The address alignment LibTorch's kernels expect for the dtype (see <see cref="InteropElementTypes.AlignmentOf"/>).</summary>
    internal static int Alignment(torch.ScalarType type) => type switch
    {
        torch.ScalarType.ComplexFloat64 => 16,
        _ => Math.Max(1, ElementSize(type)),
    };

    /// <summary>The dtype's name for messages: PyTorch's (<c>torch.uint16</c>) where known, else the raw number.</summary>
    internal static string Describe(torch.ScalarType type) =>
        TorchName(type) is { } name ? "torch." + name : $"ScalarType {(int)type}";
}
