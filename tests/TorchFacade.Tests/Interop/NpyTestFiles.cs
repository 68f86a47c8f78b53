using System.Buffers.Binary;
using System.Text;

namespace TorchFacade.Tests.Interop;

/// <summary>Builds .npy byte images by hand (independently of the facade's writer) for malformed-input tests.</summary>
internal static class NpyTestFiles
{
    public static byte[] Build(string dict, byte[] data, int major = 1, int minor = 0, long? headerLengthOverride = null)
    {
        int preamble = major == 1 ? 10 : 12;
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict.PadRight(padded - preamble - 1) + "\n";
        byte[] headerBytes = major == 3 ? Encoding.UTF8.GetBytes(header) : Encoding.Latin1.GetBytes(header);
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, (byte)minor]);
        long length = headerLengthOverride ?? headerBytes.Length;
        if (preamble == 10)
        {
            byte[] l = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(l, (ushort)length);
            ms.Write(l);
        }
        else
        {
            byte[] l = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(l, (uint)length);
            ms.Write(l);
        }

        ms.Write(headerBytes);
        ms.Write(data);
        return ms.ToArray();
    }

    public static string Dict(string descr, string shape, bool fortran = false) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
}
