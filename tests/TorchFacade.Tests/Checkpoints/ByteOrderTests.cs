using System.IO.Compression;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using TorchFacade.Tests.Interop;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>
/// Byte order: a torch.save file from a big-endian machine (byteorder "big", written by
/// make_byteorder_fixtures.py and read back by PyTorch 2.6 with the values recorded) loads with PyTorch's values —
/// every dtype, a strided view at an offset still sharing its storage — whether copied or asked to be mapped (a
/// big-endian storage cannot be aliased: it is read and swapped); files are written as this machine's "little", as
/// PyTorch writes them. (.npy's <c>'&gt;'</c> dtypes: NpyFixtureTests loads NumPy's big-endian fixtures, NpyRoundTripTests
/// writes <c>'&lt;'</c>.) Also PyTorch's CRC-less records (<c>set_crc32_options(False)</c>).
/// </summary>
[Collection(PinCountCollection.Name)]
public class ByteOrderTests
{
    private static JsonElement Manifest => JsonDocument.Parse(File.ReadAllText(CheckpointFixtures.PathOf("byteorder.json"))).RootElement;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ABigEndianCheckpointLoadsWithPyTorchsValues(bool memoryMap)
    {
        var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("big_endian.pt"), memoryMap: memoryMap)!;
        JsonElement expected = Manifest.GetProperty("big_endian");
        loaded.Keys.Should().BeEquivalentTo(expected.EnumerateObject().Select(p => p.Name));
        foreach (JsonProperty entry in expected.EnumerateObject())
        {
            var t = (torch.Tensor)loaded[entry.Name]!;
            t.dtype.Should().Be(CheckpointFixtures.DType(entry.Value.GetProperty("dtype").GetString()!), entry.Name);
            t.shape.Should().Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), entry.Name);
            t.stride().Should().Equal(entry.Value.GetProperty("stride").EnumerateArray().Select(e => e.GetInt64()), entry.Name);
            t.storage_offset().Should().Be(entry.Value.GetProperty("offset").GetInt64(), entry.Name);
            CheckpointFixtures.HexOf(t).Should().Be(entry.Value.GetProperty("bytes").GetString(), $"{entry.Name}: PyTorch's values, swapped from big-endian");
        }

        Manifest.GetProperty("big_endian_shared").GetBoolean().Should().BeTrue();
        Native.Storage((torch.Tensor)loaded["view"]!).Should().Be(Native.Storage((torch.Tensor)loaded["float32"]!), "the view still shares the swapped storage");
        TorchFacade.Fuzz.FuzzCampaign.DisposeAll(loaded);
    }

    [Fact]
    public void SavedCheckpointsSayLittleAsPyTorchOnThisMachineWrites()
    {
        using var dir = new TempDir();
        using torch.Tensor t = torch.arange(4, torch.ScalarType.Int32);
        Torch.Save(new Dictionary<string, object?> { ["t"] = t }, dir.File("le.pt"));
        using ZipArchive archive = ZipFile.OpenRead(dir.File("le.pt"));
        ZipArchiveEntry byteorder = archive.Entries.Single(e => e.FullName.EndsWith("/byteorder", StringComparison.Ordinal));
        using var reader = new StreamReader(byteorder.Open(), Encoding.ASCII);
        reader.ReadToEnd().Should().Be(BitConverter.IsLittleEndian ? "little" : "big");
    }

    [Fact]
    public void AnOversizedByteorderRecordIsRefusedUnread()
    {
        // The fuzz found a deflated byteorder record padded to 4 MiB: it is refused from its size, never inflated.
        using var dir = new TempDir();
        string path = dir.File("padded.pt");
        using (var source = ZipFile.OpenRead(CheckpointFixtures.PathOf("views.pt")))
        using (var target = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (ZipArchiveEntry e in source.Entries)
            {
                using Stream from = e.Open();
                using Stream to = target.CreateEntry(e.FullName, CompressionLevel.Optimal).Open();
                if (e.FullName.EndsWith("/byteorder", StringComparison.Ordinal))
                {
                    to.Write("little"u8);
                    to.Write(new byte[4 << 20]);
                }
                else
                {
                    from.CopyTo(to);
                }
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var load = () => Torch.Load(path);
        CheckpointFormatException error = load.Should().Throw<CheckpointFormatException>().Which;
        error.Message.Should().Contain("the byteorder record is 4194310 bytes");
        error.PyTorchType.Should().Be("ValueError");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20, "nothing was inflated");
    }

    [Fact]
    public void RecordsPyTorchWroteWithoutCrcLoad()
    {
        var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("no_crc.pt"))!;
        JsonElement expected = Manifest.GetProperty("no_crc");
        CheckpointFixtures.HexOf((torch.Tensor)loaded["w"]!).Should().Be(expected.GetProperty("w").GetString());
        loaded["step"].Should().Be(7L);
        TorchFacade.Fuzz.FuzzCampaign.DisposeAll(loaded);
    }
}
