using System.IO.Compression;
using System.Text;
using FluentAssertions;
using TorchFacade.Tests.Interop;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>Every rule of both formats, broken one at a time, raises CheckpointFormatException naming the rule.</summary>
[Collection(PinCountCollection.Name)]
public class MalformedCheckpointTests
{
    private static byte[] SafetensorsFile(string header, byte[] data, long? claimedLength = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((ulong)(claimedLength ?? json.Length)), .. json, .. data];
    }

    private static CheckpointFormatException LoadSafetensors(byte[] file)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, file);
        var load = () => Safetensors.Load(path);
        return load.Should().Throw<CheckpointFormatException>().Which;
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, null, "HeaderTooSmall")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, 100_000_001L, "HeaderTooLarge")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, 5000L, "InvalidHeaderLength")]
    [InlineData("[1]", 0, null, "InvalidHeaderStart")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8, null, "InvalidHeaderDeserialization")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16, null, "appears twice")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16, null, "InvalidOffset(\"a\")*hole")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, null, "InvalidOffset(\"b\")*overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, null, "TensorInvalidInfo")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12, null, "MetadataIncompleteBuffer")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, null, "MetadataIncompleteBuffer")]
    [InlineData("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, null, "*does not define*BOOL*")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, null, "non-negative integer")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,8]}}", 8, null, "ValidationOverflow")]
    [InlineData("{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, null, "*metadata values must be strings*")]
    [InlineData("{\"a\":{\"dtype\":\"F4\",\"shape\":[2],\"data_offsets\":[0,1]}}", 1, null, "*sub-byte*")]
    [InlineData("{\"a\":{\"dtype\":\"\\ud800\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, null, "InvalidHeaderDeserialization")]
    public void SafetensorsRulesAreEnforced(string header, int dataBytes, long? claimedLength, string expected)
    {
        byte[] file = claimedLength is null && expected == "HeaderTooSmall" ? [1, 2, 3] : SafetensorsFile(header, new byte[dataBytes], claimedLength);
        LoadSafetensors(file).Problem.Should().Match($"*{expected}*");
    }

    [Fact]
    public void InvalidUtf8HeadersAreRefused()
    {
        byte[] file = SafetensorsFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        file[11] = 0xFF;
        LoadSafetensors(file).Problem.Should().Contain("InvalidHeader (the header is not valid UTF-8)");
    }

    [Fact]
    public void ShardIndexesMustMatchTheirShards()
    {
        using var dir = new TempDir();
        File.Copy(CheckpointFixtures.PathOf("shards/model-00001-of-00002.safetensors"), dir.File("a.safetensors"));
        File.WriteAllText(dir.File("bad.index.json"), "{\"weight_map\":{\"layer0.weight\":\"a.safetensors\"}}");
        var load = () => Safetensors.Load(dir.File("bad.index.json"));
        load.Should().Throw<CheckpointFormatException>().WithMessage("*layer0.bias*does not list*");
        File.WriteAllText(dir.File("escape.index.json"), "{\"weight_map\":{\"w\":\"../x.safetensors\"}}");
        var escape = () => Safetensors.Load(dir.File("escape.index.json"));
        escape.Should().Throw<CheckpointFormatException>().WithMessage("*no absolute path, no \"..\"*");
    }

    private static CheckpointFormatException LoadTorch(byte[] file)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.pt");
        File.WriteAllBytes(path, file);
        var load = () => Torch.Load(path);
        return load.Should().Throw<CheckpointFormatException>().Which;
    }

    private static byte[] Rezip(string seed, Func<string, byte[], byte[]> edit, CompressionLevel? deflate = null)
    {
        using var output = new MemoryStream();
        using (var source = ZipFile.OpenRead(CheckpointFixtures.PathOf(seed)))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry e in source.Entries)
            {
                using var m = new MemoryStream();
                using (Stream s = e.Open())
                {
                    s.CopyTo(m);
                }

                ZipArchiveEntry n = target.CreateEntry(e.FullName, deflate ?? CompressionLevel.NoCompression);
                using Stream w = n.Open();
                w.Write(edit(e.FullName, m.ToArray()));
            }
        }

        return output.ToArray();
    }

    private static byte[] Pickle(params byte[][] parts) => [0x80, 2, .. parts.SelectMany(p => p), (byte)'.'];

    private static byte[] WithPickle(byte[] pickle) => Rezip("views.pt", (name, data) => name.EndsWith("data.pkl", StringComparison.Ordinal) ? pickle : data);

    [Fact]
    public void TruncatedAndCorruptArchivesAreRefused()
    {
        byte[] good = File.ReadAllBytes(CheckpointFixtures.PathOf("views.pt"));
        LoadTorch(good[..(good.Length / 2)]).Problem.Should().Contain("end-of-central-directory");
        LoadTorch(good[..10]).Problem.Should().Contain("too short to be a zip archive");
        byte[] flipped = (byte[])good.Clone();
        flipped[70] ^= 0x01; // inside data.pkl: the CRC check catches it
        LoadTorch(flipped).Problem.Should().Contain("CRC-32");
        LoadTorch([]).Problem.Should().Contain("not a torch.save checkpoint");
    }

    [Fact]
    public void AStorageByteChangedUnderItsCrcIsRefusedNamingTheRecord()
    {
        // Stricter than PyTorch on purpose: PyTorch's reader verifies no CRC-32 (LibTorch builds miniz with
        // MINIZ_DISABLE_ZIP_READER_CRC32_CHECKS; PyTorch 2.6 loads this file with element 0 silently 2.0), but a
        // silent wrong answer is what TorchFacade never gives, so a copying load checks every record, storages too.
        byte[] good = File.ReadAllBytes(CheckpointFixtures.PathOf("views.pt"));
        byte[] storageFlip = (byte[])good.Clone();
        storageFlip[FindData(good, "views/data/0") + 3] ^= 0x40; // the high byte of float32 element 0 (0.0f)
        CheckpointFormatException refused = LoadTorch(storageFlip);
        refused.Problem.Should().Match("*CRC-32 of the record views/data/0 is * but the zip directory records *; the file is corrupt*");
        refused.PyTorchType.Should().Be("RuntimeError");
    }

    [Fact]
    public void AMemoryMappedLoadDoesNotVerifyStorageCrcs()
    {
        // memoryMap: true is O(1) in the file's size, which verifying a CRC cannot be (it reads every byte): mapped
        // storages are aliased unverified, as torch.load(mmap=True) does (data.pkl and the small records are checked).
        byte[] good = File.ReadAllBytes(CheckpointFixtures.PathOf("views.pt"));
        byte[] storageFlip = (byte[])good.Clone();
        storageFlip[FindData(good, "views/data/0") + 3] ^= 0x40; // element 0: 0.0f becomes 2.0f
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("flipped.pt"), storageFlip);
        var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(dir.File("flipped.pt"), memoryMap: true)!;
        ((torch.Tensor)loaded["base"]!).sum().item<float>().Should().Be(278f, "element 0 changed from 0 to 2; the rest are as saved");
        TorchFacade.Fuzz.FuzzCampaign.DisposeAll(loaded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(9)]
    public void ALargeStorageIsVerifiedInEveryPieceItIsHashedIn(int mib)
    {
        // Storages over 4 MiB are read in 4 MiB pieces, each hashed on a second thread while the next is read: a byte
        // changed in the first, a middle or the last piece is caught, and the unchanged file loads.
        using var dir = new TempDir();
        string path = dir.File("big.pt");
        using (var big = torch.arange(0, (10 << 20) / 4, dtype: torch.ScalarType.Int32))
        {
            Torch.Save(new Dictionary<string, object?> { ["w"] = big }, path);
        }

        var ok = (IReadOnlyDictionary<string, object?>)Torch.Load(path)!;
        ((torch.Tensor)ok["w"]!)[-1].item<int>().Should().Be(((10 << 20) / 4) - 1);
        TorchFacade.Fuzz.FuzzCampaign.DisposeAll(ok);

        byte[] file = File.ReadAllBytes(path);
        file[FindData(file, "big/data/0") + (mib << 20) + 5] ^= 0x10;
        LoadTorch(file).Problem.Should().Contain("CRC-32 of the record big/data/0");
    }

    [Fact]
    public void ACorruptedDeflatedStorageIsRefused()
    {
        // A re-zipped (deflated) checkpoint whose directory CRC of a storage no longer matches its inflated bytes.
        byte[] deflated = Rezip("views.pt", (_, d) => d, CompressionLevel.Optimal);
        using (var zip = new ZipArchive(new MemoryStream(deflated), ZipArchiveMode.Read))
        {
            zip.GetEntry("views/data/0")!.Crc32.Should().NotBe(0u);
        }

        byte[] name = Encoding.ASCII.GetBytes("views/data/0");
        int central = deflated.AsSpan().LastIndexOf(name) - 46; // the central-directory header before the name
        BitConverter.ToUInt32(deflated, central).Should().Be(0x02014b50u);
        deflated[central + 16] ^= 0x01;
        LoadTorch(deflated).Problem.Should().Contain("CRC-32 of the record views/data/0");
    }

    [Fact]
    public void ACrcOfZeroIsPyTorchsNoCrcAndLoadsUnverified()
    {
        // set_crc32_options(False) makes PyTorch write 0 for every record's CRC: such a file loads, storages unverified.
        byte[] file = File.ReadAllBytes(CheckpointFixtures.PathOf("no_crc.pt"));
        file[FindData(file, "no_crc/data/0") + 3] ^= 0x40; // w[0, 0]: 0.0f becomes 2.0f, and no CRC can tell
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("no_crc.pt"), file);
        var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(dir.File("no_crc.pt"))!;
        ((torch.Tensor)loaded["w"]!).sum().item<float>().Should().Be(17f, "0 + 1 + ... + 5 with element 0 now 2");
        TorchFacade.Fuzz.FuzzCampaign.DisposeAll(loaded);
    }

    private static int FindData(byte[] file, string entry)
    {
        byte[] name = Encoding.ASCII.GetBytes(entry);
        int at = file.AsSpan().IndexOf(name);
        int extra = BitConverter.ToUInt16(file, at - 2);
        return at + name.Length + extra;
    }

    [Fact]
    public void DeflatedArchivesLoadAndZipBombsAreRefused()
    {
        byte[] deflated = Rezip("views.pt", (_, d) => d, CompressionLevel.Optimal);
        using (var dir = new TempDir())
        {
            File.WriteAllBytes(dir.File("deflated.pt"), deflated);
            var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(dir.File("deflated.pt"))!;
            ((torch.Tensor)loaded["base"]!).sum().item<float>().Should().Be(276f);
            TorchFacade.Fuzz.FuzzCampaign.DisposeAll(loaded);
        }

        // A 1 GB storage of zeros claims to come from a few KB: refused before anything is inflated.
        byte[] bomb = Rezip("views.pt", (name, d) => name.EndsWith("data/0", StringComparison.Ordinal) ? new byte[64 << 20] : d, CompressionLevel.Optimal);
        int at = bomb.AsSpan().LastIndexOf("views/data/0"u8) - 46;
        BitConverter.GetBytes(unchecked((uint)int.MaxValue)).CopyTo(bomb, at + 24); // the central directory's uncompressed size
        LoadTorch(bomb).Problem.Should().Contain("zip bomb");
    }

    [Fact]
    public void MalformedPicklesAreRefusedWithoutRunningAnything()
    {
        LoadTorch(WithPickle(Pickle("c"u8.ToArray(), "os\nsystem\n"u8.ToArray()))).Problem.Should().Contain("whose module os is blocked");
        LoadTorch(WithPickle(Pickle("csubprocess\nPopen\n"u8.ToArray()))).Problem.Should().Contain("GLOBAL subprocess.Popen was not an allowed global by default");
        LoadTorch(WithPickle(Pickle("N"u8.ToArray(), [0x95]))).Problem.Should().Contain("Unsupported operand 149");
        LoadTorch(WithPickle(Pickle("R"u8.ToArray()))).Problem.Should().Contain("empty stack");
        LoadTorch(WithPickle([0x80, 2, (byte)'X', 0xFF, 0xFF, 0xFF, 0x7F])).Problem.Should().Contain("needs 2147483647 more bytes");
        LoadTorch(WithPickle(Pickle("h\x05"u8.ToArray()))).Problem.Should().Contain("never stored");
        LoadTorch(WithPickle(Pickle("N"u8.ToArray(), ")"u8.ToArray(), "R"u8.ToArray()))).Problem.Should().Contain("reduce for unrecognized function None");
        // A Python object built through an allowed class other than Parameter.
        LoadTorch(WithPickle(Pickle("ctorch\nSize\n)"u8.ToArray(), [0x81]))).Problem.Should().Contain("torch.Size");
        // 100,000 nested lists: refused at Python's recursion limit, never a stack overflow.
        byte[] deep = [.. Enumerable.Repeat((byte)']', 100_000), .. Enumerable.Repeat((byte)'a', 99_999)];
        LoadTorch(WithPickle(Pickle(deep))).Problem.Should().Contain("more than 1000 deep");
        // A tensor whose view reaches past its storage.
        LoadTorch(WithPickle(Pickle(Encoding.Latin1.GetBytes(
            "ctorch._utils\n_rebuild_tensor_v2\n((X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0018tQK\u0000K\u0019\u0085K\u0001\u0085\u0089ccollections\nOrderedDict\n)RtR"))))
            .Problem.Should().Contain("reaches element 24 of the storage data/0, which has 24 elements");
    }

    [Fact]
    public void TorchScriptArchivesAreExplained()
    {
        byte[] script = Rezip("views.pt", (_, d) => d);
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(script)))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry e in source.Entries.Where(e => !e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)))
            {
                using Stream w = target.CreateEntry(e.FullName.Replace("views/version", "views/constants.pkl", StringComparison.Ordinal)).Open();
                using Stream r = e.Open();
                r.CopyTo(w);
            }
        }

        LoadTorch(output.ToArray()).Problem.Should().Contain("TorchScript archive");
    }
}
