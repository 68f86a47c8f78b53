using TorchSharp;

namespace TorchFacade;

/// <summary>
/// The safetensors format's dtype codes (<c>F32</c>, <c>BF16</c>, <c>F8_E4M3</c>, ...) in the reference library's
/// declaration order, which is also its layout rank: its writer places tensors by descending rank, then by name.
/// </summary>
internal static class SafetensorsDType
{
    // Code, rank (declaration order in the reference library), LibTorch dtype, element size in bits.
    private static readonly (string Code, torch.ScalarType Type, int Bits)[] Table =
    [
        ("BOOL", torch.ScalarType.Bool, 8),
        ("F4", default, 4),
        ("F6_E2M3", default, 6),
        ("F6_E3M2", default, 6),
        ("U8", torch.ScalarType.Byte, 8),
        ("I8", torch.ScalarType.Int8, 8),
        ("F8_E5M2", CheckpointDTypes.Float8E5M2, 8),
        ("F8_E4M3", CheckpointDTypes.Float8E4M3Fn, 8),
        ("F8_E8M0", CheckpointDTypes.Float8E8M0Fnu, 8),
        ("F8_E4M3FNUZ", CheckpointDTypes.Float8E4M3Fnuz, 8),
        ("F8_E5M2FNUZ", CheckpointDTypes.Float8E5M2Fnuz, 8),
        ("I16", torch.ScalarType.Int16, 16),
        ("U16", CheckpointDTypes.UInt16, 16),
        ("F16", torch.ScalarType.Float16, 16),
        ("BF16", torch.ScalarType.BFloat16, 16),
        ("I32", torch.ScalarType.Int32, 32),
        ("U32", CheckpointDTypes.UInt32, 32),
        ("F32", torch.ScalarType.Float32, 32),
        ("C64", torch.ScalarType.ComplexFloat32, 64),
        ("F64", torch.ScalarType.Float64, 64),
        ("I64", torch.ScalarType.Int64, 64),
        ("U64", CheckpointDTypes.UInt64, 64),
    ];

    /// <summary>Every code the format defines, for messages.</summary>
    internal static string AllCodes => string.Join(", ", Table.Select(r => r.Code));

    /// <summary>Looks a code up: its rank, LibTorch dtype and element size in bits.</summary>
    /// <returns>False if the format defines no such code.</returns>
    internal static bool TryParse(string code, out int rank, out torch.ScalarType type, out int bits)
    {
        for (int i = 0; i < Table.Length; i++)
        {
            if (Table[i].Code == code)
            {
                rank = i;
                type = Table[i].Type;
                bits = Table[i].Bits;
                return true;
            }
        }

        rank = -1;
        type = default;
        bits = 0;
        return false;
    }

    /// <summary>The code and rank of a LibTorch dtype, or false for a dtype the format cannot hold (complex128, ...).</summary>
    internal static bool TryCodeOf(torch.ScalarType type, out string code, out int rank)
    {
        for (int i = 0; i < Table.Length; i++)
        {
            if (Table[i].Bits % 8 == 0 && Table[i].Type == type)
            {
                code = Table[i].Code;
                rank = i;
                return true;
            }
        }

        code = string.Empty;
        rank = -1;
        return false;
    }
}
