using System.Text.Json;
using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>Locates tests/fixtures/checkpoints (written by make_fixtures.py with PyTorch 2.6 and safetensors) and checks tensors against its manifest.</summary>
internal static class CheckpointFixtures
{
    private static readonly Lazy<string> Folder = new(FindFolder);
    private static readonly Lazy<JsonElement> ManifestRoot = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder.Value, "manifest.json"))).RootElement);

    public static JsonElement Manifest => ManifestRoot.Value;

    public static string PathOf(string file) => Path.Combine(Folder.Value, file);

    /// <summary>The dtype PyTorch names <paramref name="name"/>, as LibTorch numbers it.</summary>
    public static torch.ScalarType DType(string name) => name switch
    {
        "float64" => torch.ScalarType.Float64,
        "float32" => torch.ScalarType.Float32,
        "float16" => torch.ScalarType.Float16,
        "bfloat16" => torch.ScalarType.BFloat16,
        "int64" => torch.ScalarType.Int64,
        "int32" => torch.ScalarType.Int32,
        "int16" => torch.ScalarType.Int16,
        "int8" => torch.ScalarType.Int8,
        "uint8" => torch.ScalarType.Byte,
        "bool" => torch.ScalarType.Bool,
        "complex64" => torch.ScalarType.ComplexFloat32,
        "complex128" => torch.ScalarType.ComplexFloat64,
        "float8_e5m2" => (torch.ScalarType)23,
        "float8_e4m3fn" => (torch.ScalarType)24,
        "uint16" => (torch.ScalarType)27,
        "uint32" => (torch.ScalarType)28,
        "uint64" => (torch.ScalarType)29,
        _ => throw new ArgumentException(name),
    };

    /// <summary>The tensor's bytes in C order (gathered through a contiguous copy when it is a view).</summary>
    public static unsafe string HexOf(torch.Tensor t)
    {
        using torch.Tensor dense = t.contiguous();
        long bytes = (long)TorchFacade.Tests.Checkpoints.Native.Bytes(dense);
        if (bytes == 0)
        {
            return string.Empty;
        }

        var span = new ReadOnlySpan<byte>((void*)Native.Data(dense), (int)bytes);
        return Convert.ToHexString(span).ToLowerInvariant();
    }

    /// <summary>Asserts dtype, shape and bytes (and, when <paramref name="layout"/>, strides and storage offset).</summary>
    public static void AssertMatches(torch.Tensor t, JsonElement expected, string what, bool layout)
    {
        t.dtype.Should().Be(DType(expected.GetProperty("dtype").GetString()!), what);
        t.shape.Should().Equal(expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), what);
        if (layout)
        {
            t.stride().Should().Equal(expected.GetProperty("stride").EnumerateArray().Select(e => e.GetInt64()), what);
            t.storage_offset().Should().Be(expected.GetProperty("offset").GetInt64(), what);
            t.requires_grad.Should().Be(expected.GetProperty("requires_grad").GetBoolean(), what);
        }

        HexOf(t).Should().Be(expected.GetProperty("bytes").GetString(), what);
    }

    private static string FindFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "checkpoints");
            if (File.Exists(Path.Combine(candidate, "manifest.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/fixtures/checkpoints/manifest.json was not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>Storage and element addresses read straight from LibTorch, independent of the code under test.</summary>
internal static partial class Native
{
    [System.Runtime.InteropServices.LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial IntPtr TensorData(IntPtr tensor);

    [System.Runtime.InteropServices.LibraryImport("LibTorchSharp", EntryPoint = "THSStorage_data_ptr")]
    private static partial IntPtr StorageData(IntPtr tensor);

    public static IntPtr Data(torch.Tensor t) => TensorData(t.Handle);

    public static IntPtr Storage(torch.Tensor t) => StorageData(t.Handle);

    public static long Bytes(torch.Tensor t) => t.numel() * t.element_size();
}
