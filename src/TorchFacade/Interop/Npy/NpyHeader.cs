using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// The header of a <c>.npy</c> file (format versions 1.0, 2.0 and 3.0): magic <c>\x93NUMPY</c>, version, header
/// length (2 bytes in 1.0, 4 bytes in 2.0/3.0, little-endian), then a Python dict literal (latin-1 in 1.0/2.0, UTF-8 in
/// 3.0) padded with spaces and a newline so the data starts on a 64-byte boundary.
/// </summary>
/// <param name="DType">The element type.</param>
/// <param name="FortranOrder">Whether the data is stored column-major.</param>
/// <param name="Shape">The array's shape.</param>
/// <param name="ElementCount">The product of the shape (checked for overflow).</param>
/// <param name="DataOffset">Where the data starts, from the start of the file.</param>
internal sealed record NpyHeader(NpyDType DType, bool FortranOrder, long[] Shape, long ElementCount, long DataOffset)
{
    /// <summary>Longest header accepted (NumPy's own loader refuses headers over 10,000 bytes by default).</summary>
    internal const int MaxHeaderLength = 1 << 20;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Bytes of element data the header promises.</summary>
    internal long DataBytes => ElementCount * DType.ItemSize;

    /// <summary>Reads and validates the header at the stream's position; leaves the stream at the first data byte.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="name">The file name, for messages.</param>
    /// <param name="available">How many bytes the stream holds from its position on.</param>
    /// <exception cref="NpyFormatException">Anything wrong with the header, or data shorter than it promises.</exception>
    internal static NpyHeader Read(Stream stream, string name, long available)
    {
        Span<byte> prefix = stackalloc byte[12];
        if (available < 10)
        {
            throw new NpyFormatException(name, $"the file is {available} bytes long, too short to be a .npy file (at least 10 bytes of preamble)");
        }

        ReadExactly(stream, prefix[..10], name, "the preamble");
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new NpyFormatException(name, $"bad magic bytes {Convert.ToHexString(prefix[..6])}; a .npy file starts with 934E554D5059 (\\x93NUMPY)");
        }

        byte major = prefix[6];
        byte minor = prefix[7];
        long headerLength;
        int preamble;
        if (major == 1 && minor == 0)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
            preamble = 10;
        }
        else if ((major == 2 || major == 3) && minor == 0)
        {
            if (available < 12)
            {
                throw new NpyFormatException(name, $"the file is truncated inside the version {major}.0 preamble");
            }

            ReadExactly(stream, prefix[10..12], name, "the preamble");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..12]);
            preamble = 12;
        }
        else
        {
            throw new NpyFormatException(name, $"unknown .npy format version {major}.{minor}; supported versions are 1.0, 2.0 and 3.0");
        }

        if (headerLength > MaxHeaderLength)
        {
            throw new NpyFormatException(name, $"the header claims {headerLength} bytes, more than the {MaxHeaderLength} bytes this reader accepts");
        }

        if (headerLength > available - preamble)
        {
            throw new NpyFormatException(name, $"the header claims {headerLength} bytes but only {available - preamble} bytes follow the preamble (truncated file?)");
        }

        byte[] headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, name, "the header");
        string text;
        try
        {
            text = major == 3
                ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes)
                : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new NpyFormatException(name, "the version 3.0 header is not valid UTF-8", ex);
        }

        NpyHeader header = Interpret(text, name, preamble + headerLength);
        long dataAvailable = available - preamble - headerLength;
        if (header.DataBytes > dataAvailable)
        {
            throw new NpyFormatException(
                name,
                $"the data is {dataAvailable} bytes but the header promises {header.DataBytes} bytes "
                + $"(shape ({string.Join(", ", header.Shape)}), {header.DType.ItemSize}-byte elements); the file is truncated");
        }

        return header;
    }

    private static NpyHeader Interpret(string text, string name, long dataOffset)
    {
        Dictionary<string, object?> dict;
        try
        {
            dict = NpyHeaderLiteral.ParseDict(text.AsSpan().TrimEnd());
        }
        catch (FormatException ex)
        {
            throw new NpyFormatException(name, $"cannot parse the header dict: {ex.Message}", ex);
        }

        string[] expected = ["descr", "fortran_order", "shape"];
        if (dict.Count != 3 || !expected.All(dict.ContainsKey))
        {
            throw new NpyFormatException(
                name,
                $"the header must hold exactly the keys 'descr', 'fortran_order' and 'shape' but holds {string.Join(", ", dict.Keys.Select(k => $"'{k}'"))}");
        }

        NpyDType dtype = dict["descr"] switch
        {
            string descr => NpyDType.Parse(descr, out string problem) ?? throw new NpyFormatException(name, problem),
            List<object?> => throw new NpyFormatException(name, "the array has a structured (record) dtype; torch tensors hold one numeric type, so load it with NumPy and save each field separately"),
            var other => throw new NpyFormatException(name, $"'descr' must be a type string but is {Show(other)}"),
        };

        if (dict["fortran_order"] is not bool fortran)
        {
            throw new NpyFormatException(name, $"'fortran_order' must be True or False but is {Show(dict["fortran_order"])}");
        }

        if (dict["shape"] is not List<object?> dims)
        {
            throw new NpyFormatException(name, $"'shape' must be a tuple of integers but is {Show(dict["shape"])}");
        }

        if (dims.Count > 64)
        {
            throw new NpyFormatException(name, $"the shape has {dims.Count} dimensions; NumPy and torch allow at most 64");
        }

        var shape = new long[dims.Count];
        long count = 1;
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] is not long dim)
            {
                throw new NpyFormatException(name, $"shape entry {i} is {Show(dims[i])}, not an integer");
            }

            if (dim < 0)
            {
                throw new NpyFormatException(name, $"shape entry {i} is negative ({dim})");
            }

            shape[i] = dim;
            try
            {
                count = checked(count * dim);
                _ = checked(count * dtype.ItemSize);
            }
            catch (OverflowException)
            {
                throw new NpyFormatException(name, $"the shape ({string.Join(", ", dims)}) holds more bytes than a 64-bit size can count");
            }
        }

        return new NpyHeader(dtype, fortran, shape, count, dataOffset);
    }

    private static string Show(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        List<object?> l => $"a sequence of {l.Count} items",
        bool b => b ? "True" : "False",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    /// <summary>Formats the preamble and header for an array; version 1.0 unless the header needs 2.0's longer length.</summary>
    internal static byte[] Format(torch.ScalarType dtype, ReadOnlySpan<long> shape)
    {
        string dims = shape.Length switch
        {
            0 => "()",
            1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
            _ => "(" + string.Join(", ", shape.ToArray().Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        string dict = $"{{'descr': '{NpyDType.DescrOf(dtype)}', 'fortran_order': False, 'shape': {dims}, }}";
        int preamble = 10;
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        if (padded - preamble > ushort.MaxValue)
        {
            preamble = 12;
            total = preamble + dict.Length + 1;
            padded = (total + 63) / 64 * 64;
        }

        byte[] result = new byte[padded];
        Magic.CopyTo(result);
        result[6] = preamble == 10 ? (byte)1 : (byte)2;
        result[7] = 0;
        if (preamble == 10)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)(padded - preamble));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)(padded - preamble));
        }

        int written = Encoding.Latin1.GetBytes(dict, result.AsSpan(preamble));
        result.AsSpan(preamble + written, padded - preamble - written - 1).Fill((byte)' ');
        result[^1] = (byte)'\n';
        return result;
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes or throws <see cref="NpyFormatException"/>.</summary>
    internal static void ReadExactly(Stream stream, Span<byte> buffer, string name, string what)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n;
            try
            {
                n = stream.Read(buffer[total..]);
            }
            catch (InvalidDataException ex)
            {
                throw new NpyFormatException(name, $"the compressed data is corrupt while reading {what}: {ex.Message}", ex);
            }

            if (n == 0)
            {
                throw new NpyFormatException(name, $"the file ends inside {what} ({total} of {buffer.Length} bytes present); it is truncated");
            }

            total += n;
        }
    }
}
