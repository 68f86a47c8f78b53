using System.Text.Json;
using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Interop;

/// <summary>Files real NumPy wrote (tests/fixtures/npy, see make_fixtures.py) load bit-exactly.</summary>
[Collection(PinCountCollection.Name)]
public class NpyFixtureTests
{
    public static TheoryData<string> NpyFiles()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement e in InteropFixtures.NpyEntries)
        {
            data.Add(e.GetProperty("file").GetString()!);
        }

        return data;
    }

    public static TheoryData<string> UnsupportedFiles()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement e in InteropFixtures.Manifest.GetProperty("bad").EnumerateArray())
        {
            data.Add(e.GetProperty("file").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NpyFiles))]
    public void NumPyFilesLoadBitExactly(string file)
    {
        JsonElement expected = InteropFixtures.Npy(file);
        using torch.Tensor t = Npy.Load(InteropFixtures.PathOf(file));
        AssertMatches(t, expected, file);
    }

    [Theory]
    [MemberData(nameof(NpyFiles))]
    public void NumPyFilesMemoryMapBitExactly(string file)
    {
        JsonElement expected = InteropFixtures.Npy(file);
        using torch.Tensor t = Npy.Load(InteropFixtures.PathOf(file), memoryMap: true);
        AssertMatches(t, expected, file);
    }

    [Fact]
    public void FortranOrderLoadsWithColumnMajorStridesNotACopy()
    {
        using torch.Tensor t = Npy.Load(InteropFixtures.PathOf("f4_fortran_2d.npy"));
        t.shape.Should().Equal(3, 4);
        t.stride().Should().Equal(1, 3);
        using torch.Tensor t3 = Npy.Load(InteropFixtures.PathOf("i8_fortran_3d.npy"));
        t3.stride().Should().Equal(1, 2, 6);
    }

    [Fact]
    public void MemoryMappedLoadIsCopyOnWriteByDefault()
    {
        using var dir = new TempDir();
        string path = dir.File("m.npy");
        File.Copy(InteropFixtures.PathOf("f4_le.npy"), path);
        byte[] before = File.ReadAllBytes(path);
        long pins = PinnedMemory.LiveCount;
        using (torch.Tensor t = Npy.Load(path, memoryMap: true))
        {
            PinnedMemory.LiveCount.Should().BeGreaterThan(pins, "the tensor aliases the mapping instead of reading a copy");
            t.fill_(7);
            t.ToArray<float>().Should().AllSatisfy(v => v.Should().Be(7));
        }

        File.ReadAllBytes(path).Should().Equal(before, "copy-on-write never changes the file");
    }

    [Fact]
    public void WritableMemoryMapWritesThroughToTheFile()
    {
        using var dir = new TempDir();
        string path = dir.File("w.npy");
        using (torch.Tensor source = torch.zeros(4, dtype: torch.ScalarType.Float64))
        {
            Npy.Save(path, source);
        }

        long pins = PinnedMemory.LiveCount;
        using (torch.Tensor mapped = Npy.MemoryMap(path, writable: true))
        {
            mapped.add_(2.5);
        }

        using torch.Tensor reread = Npy.Load(path);
        reread.ToArray<double>().Should().Equal(2.5, 2.5, 2.5, 2.5);
        PinnedMemory.LiveCount.Should().BeLessThanOrEqualTo(pins, "the mapping is released with its tensor");
    }

    [Theory]
    [MemberData(nameof(UnsupportedFiles))]
    public void UnsupportedDtypesRaiseNpyFormatExceptionWithPathAndReason(string file)
    {
        JsonElement entry = InteropFixtures.Manifest.GetProperty("bad").EnumerateArray()
            .Single(e => e.GetProperty("file").GetString() == file);
        string reason = entry.GetProperty("reason").GetString()!;
        string path = InteropFixtures.PathOf(file);
        Action act = file.EndsWith(".npz", StringComparison.Ordinal)
            ? () => Npz.Load(path)
            : () => Npy.Load(path);
        act.Should().Throw<NpyFormatException>()
            .Where(e => e.Message.Contains(file) && e.Message.Contains(reason, StringComparison.OrdinalIgnoreCase), $"the message names the file and says '{reason}'");
    }

    [Theory]
    [InlineData("stored.npz")]
    [InlineData("compressed.npz")]
    public void NumPyArchivesLoadBitExactly(string file)
    {
        JsonElement expected = InteropFixtures.Manifest.GetProperty("npz").EnumerateArray()
            .Single(e => e.GetProperty("file").GetString() == file).GetProperty("arrays");
        IReadOnlyDictionary<string, torch.Tensor> arrays = Npz.Load(InteropFixtures.PathOf(file));
        try
        {
            arrays.Keys.Should().BeEquivalentTo(expected.EnumerateObject().Select(p => p.Name));
            foreach (JsonProperty p in expected.EnumerateObject())
            {
                AssertMatches(arrays[p.Name], p.Value, $"{file}:{p.Name}");
            }
        }
        finally
        {
            foreach (torch.Tensor t in arrays.Values)
            {
                t.Dispose();
            }
        }
    }

    internal static void AssertMatches(torch.Tensor t, JsonElement expected, string what)
    {
        t.shape.Should().Equal(expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), what);
        InteropElementTypes.TorchNameOf(t.dtype).Should().Be(expected.GetProperty("torch_dtype").GetString(), what);
        using torch.Tensor dense = t.contiguous();
        byte[] bytes = dense.ToArrayViaBytes();
        Convert.ToHexString(bytes).Should().BeEquivalentTo(expected.GetProperty("hex").GetString(), $"{what} must load bit-exactly");
    }
}

internal static class TensorBytes
{
    /// <summary>The raw bytes of a contiguous CPU tensor, read through the facade's data pointer.</summary>
    public static unsafe byte[] ToArrayViaBytes(this torch.Tensor t)
    {
        long n = t.numel() * t.element_size();
        byte[] result = new byte[n];
        if (n > 0)
        {
            new ReadOnlySpan<byte>((void*)TensorInterop.DataPointer(t), (int)n).CopyTo(result);
        }

        return result;
    }
}
