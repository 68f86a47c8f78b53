namespace TorchFacade.Conformance;

/// <summary>PyTorch's short dtype names (<c>float32</c>, <c>bfloat16</c>, ...) for ids, filters and reports.</summary>
public static class DTypeNames
{
    /// <summary>The PyTorch name of <paramref name="dtype"/>.</summary>
    /// <param name="dtype">A TorchSharp scalar type.</param>
    /// <returns>For example <c>float32</c>.</returns>
    public static string Of(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.Float64 => "float64",
        torch.ScalarType.Float16 => "float16",
        torch.ScalarType.BFloat16 => "bfloat16",
        torch.ScalarType.Int8 => "int8",
        torch.ScalarType.Byte => "uint8",
        torch.ScalarType.Int16 => "int16",
        torch.ScalarType.Int32 => "int32",
        torch.ScalarType.Int64 => "int64",
        torch.ScalarType.Bool => "bool",
        torch.ScalarType.ComplexFloat32 => "complex64",
        torch.ScalarType.ComplexFloat64 => "complex128",
        _ => dtype.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses a PyTorch dtype name (case-insensitive; also <c>float</c>, <c>double</c>, <c>half</c>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="dtype">The parsed dtype.</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryParse(string name, out torch.ScalarType dtype)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "float32" or "float": dtype = torch.ScalarType.Float32; return true;
            case "float64" or "double": dtype = torch.ScalarType.Float64; return true;
            case "float16" or "half": dtype = torch.ScalarType.Float16; return true;
            case "bfloat16": dtype = torch.ScalarType.BFloat16; return true;
            case "int8": dtype = torch.ScalarType.Int8; return true;
            case "uint8": dtype = torch.ScalarType.Byte; return true;
            case "int16": dtype = torch.ScalarType.Int16; return true;
            case "int32" or "int": dtype = torch.ScalarType.Int32; return true;
            case "int64" or "long": dtype = torch.ScalarType.Int64; return true;
            case "bool": dtype = torch.ScalarType.Bool; return true;
            case "complex64" or "cfloat": dtype = torch.ScalarType.ComplexFloat32; return true;
            case "complex128" or "cdouble": dtype = torch.ScalarType.ComplexFloat64; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>The names <see cref="TryParse"/> accepts, for usage messages.</summary>
    public static IReadOnlyList<string> Known { get; } =
        ["float32", "float64", "float16", "bfloat16", "int8", "uint8", "int16", "int32", "int64", "bool", "complex64", "complex128"];
}
