using TorchSharp;

namespace TorchFacade;

/// <summary>A <c>.npy</c> dtype descriptor (<c>'&lt;f4'</c>, <c>'|b1'</c>, ...) mapped onto a torch dtype.</summary>
/// <param name="Type">The torch dtype.</param>
/// <param name="ItemSize">Bytes per element.</param>
/// <param name="BigEndian">Whether the file stores elements big-endian.</param>
internal readonly record struct NpyDType(torch.ScalarType Type, int ItemSize, bool BigEndian)
{
    /// <summary>Parses a descriptor; returns <see langword="null"/> and a reason for anything torch cannot hold.</summary>
    internal static NpyDType? Parse(string descr, out string problem)
    {
        problem = string.Empty;
        if (descr.Length < 2)
        {
            problem = $"dtype descriptor '{descr}' is not a valid NumPy type string";
            return null;
        }

        char order = descr[0];
        string rest = descr;
        bool big = !BitConverter.IsLittleEndian;
        if (order is '<' or '>' or '|' or '=')
        {
            rest = descr[1..];
            big = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        }

        if (rest.Length < 2 || !int.TryParse(rest.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size))
        {
            problem = rest.Length >= 1 && rest[0] == 'O'
                ? $"dtype '{descr}' is an object array (pickled Python objects), which TorchFacade never loads"
                : $"dtype descriptor '{descr}' is not a valid NumPy type string";
            return null;
        }

        torch.ScalarType? type = (rest[0], size) switch
        {
            ('b', 1) => torch.ScalarType.Bool,
            ('i', 1) => torch.ScalarType.Int8,
            ('u', 1) => torch.ScalarType.Byte,
            ('i', 2) => torch.ScalarType.Int16,
            ('i', 4) => torch.ScalarType.Int32,
            ('i', 8) => torch.ScalarType.Int64,
            ('f', 2) => torch.ScalarType.Float16,
            ('f', 4) => torch.ScalarType.Float32,
            ('f', 8) => torch.ScalarType.Float64,
            ('c', 8) => torch.ScalarType.ComplexFloat32,
            ('c', 16) => torch.ScalarType.ComplexFloat64,
            _ => null,
        };

        if (type is null)
        {
            problem = (rest[0], size) switch
            {
                ('u', 2 or 4 or 8) => $"dtype '{descr}' (uint{size * 8}) has no torch dtype in TorchSharp 0.107; "
                    + $"convert it in NumPy first, e.g. a.astype('<i{Math.Min(size * 2, 8)}')",
                ('O', _) => $"dtype '{descr}' is an object array (pickled Python objects), which TorchFacade never loads",
                ('S' or 'U' or 'a', _) => $"dtype '{descr}' is a string dtype; torch tensors hold numbers only",
                ('V', _) => $"dtype '{descr}' is a raw/structured (void) dtype; torch tensors hold numbers only",
                ('M' or 'm', _) => $"dtype '{descr}' is a datetime/timedelta dtype; convert it to int64 in NumPy first",
                ('f', 16 or 12) or ('c', 32 or 24) => $"dtype '{descr}' is an extended-precision (long double) type torch does not have",
                _ => $"dtype '{descr}' is not a numeric dtype torch supports "
                    + "(supported: b1, i1, u1, i2, i4, i8, f2, f4, f8, c8, c16)",
            };
            return null;
        }

        return new NpyDType(type.Value, size, big && size > 1);
    }

    /// <summary>The descriptor NumPy writes for a torch dtype, in this machine's byte order.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <param name="member">The public member saving it, for the message.</param>
    /// <exception cref="ArgumentException">The dtype has no NumPy counterpart (bfloat16, quantized types).</exception>
    internal static string DescrOf(torch.ScalarType dtype, string member = "Npy.Save")
    {
        string order = BitConverter.IsLittleEndian ? "<" : ">";
        return dtype switch
        {
            torch.ScalarType.Bool => "|b1",
            torch.ScalarType.Int8 => "|i1",
            torch.ScalarType.Byte => "|u1",
            torch.ScalarType.Int16 => order + "i2",
            torch.ScalarType.Int32 => order + "i4",
            torch.ScalarType.Int64 => order + "i8",
            torch.ScalarType.Float16 => order + "f2",
            torch.ScalarType.Float32 => order + "f4",
            torch.ScalarType.Float64 => order + "f8",
            torch.ScalarType.ComplexFloat32 => order + "c8",
            torch.ScalarType.ComplexFloat64 => order + "c16",
            torch.ScalarType.BFloat16 => throw new ArgumentException(
                $"{member}: NumPy has no bfloat16 dtype, so a bfloat16 tensor cannot be saved as .npy without changing its type. "
                + "Convert it explicitly first: t.to(ScalarType.Float32) (exact) and save that."),
            _ => throw new ArgumentException($"{member}: dtype {dtype} has no NumPy counterpart; convert the tensor to a dtype NumPy has (t.to(ScalarType.Float32), or t.dequantize() for a quantized tensor) and save that."),
        };
    }
}
