using System.Numerics;
using FluentAssertions;
using TorchFacade.Tests.Interop;
using TorchSharp;
using TorchFacade.TestSupport;
using Xunit;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>Torch.Save writes PyTorch's zip format: it reads back here and in PyTorch, storages shared and written once.</summary>
[Collection(PinCountCollection.Name)]
public class TorchSaveTests
{
    [Fact]
    public void EveryDtypeAndLayoutRoundTrips()
    {
        using var dir = new TempDir();
        foreach (string file in new[] { "dtypes.pt", "views.pt" })
        {
            var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf(file))!;
            string path = dir.File(file);
            Torch.Save(loaded, path);
            var again = (IReadOnlyDictionary<string, object?>)Torch.Load(path)!;
            again.Keys.Should().Equal(loaded.Keys);
            foreach (string key in loaded.Keys)
            {
                var a = (torch.Tensor)loaded[key]!;
                var b = (torch.Tensor)again[key]!;
                b.dtype.Should().Be(a.dtype, key);
                b.shape.Should().Equal(a.shape, key);
                b.stride().Should().Equal(a.stride(), key);
                b.storage_offset().Should().Be(a.storage_offset(), key);
                b.requires_grad.Should().Be(a.requires_grad, key);
                CheckpointFixtures.HexOf(b).Should().Be(CheckpointFixtures.HexOf(a), key);
            }

            if (file == "views.pt")
            {
                Native.Storage((torch.Tensor)again["transposed"]!).Should().Be(Native.Storage((torch.Tensor)again["base"]!), "shared storages stay shared");
                Native.Storage((torch.Tensor)again["other"]!).Should().NotBe(Native.Storage((torch.Tensor)again["base"]!));
            }

            foreach (object? v in loaded.Values.Concat(again.Values))
            {
                (v as torch.Tensor)?.Dispose();
            }
        }
    }

    [Fact]
    public void EveryRecordCarriesItsTrueCrc32IncludingStoragesHashedWhileWritten()
    {
        // Storages over 4 MiB are hashed on a second thread, piece by piece, while they are written: the CRC-32 the
        // directory records must still be the CRC-32 of the bytes (another zip reader, or PyTorch with checks on, verifies it).
        using var dir = new TempDir();
        using torch.Tensor large = torch.arange(0, 3_000_000, torch.ScalarType.Int32);
        using torch.Tensor small = torch.ones(3);
        string path = dir.File("crc.pt");
        Torch.Save(new Dictionary<string, object?> { ["large"] = large, ["small"] = small }, path);
        using var archive = System.IO.Compression.ZipFile.OpenRead(path);
        archive.Entries.Should().HaveCount(6);
        foreach (System.IO.Compression.ZipArchiveEntry entry in archive.Entries)
        {
            using Stream s = entry.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            entry.Crc32.Should().Be(System.IO.Hashing.Crc32.HashToUInt32(m.ToArray()), entry.FullName);
        }

        archive.Entries.Max(e => e.Length).Should().Be(12_000_000, "the large storage is one record of 3 pieces");
    }

    [Fact]
    public void SharedStoragesAreWrittenOnce()
    {
        using var dir = new TempDir();
        using torch.Tensor big = torch.zeros(1000, torch.ScalarType.Float32);
        using torch.Tensor view = big[10..20];
        string one = dir.File("one.pt");
        string both = dir.File("both.pt");
        Torch.Save(new Dictionary<string, object?> { ["a"] = big }, one);
        Torch.Save(new Dictionary<string, object?> { ["a"] = big, ["b"] = view, ["c"] = big.t() }, both);
        (new FileInfo(both).Length - new FileInfo(one).Length).Should().BeLessThan(400, "the second and third tensors add pickle bytes only, not a second copy of 4000 bytes");
    }

    [Fact]
    public void ContainersAndScalarsRoundTrip()
    {
        using var dir = new TempDir();
        var loaded = Torch.Load(CheckpointFixtures.PathOf("nested.pt"));
        string path = dir.File("nested.pt");
        Torch.Save(loaded, path);
        var d = (IReadOnlyDictionary<string, object?>)Torch.Load(path)!;
        d["big"].Should().Be(BigInteger.Pow(2, 70));
        d["negbig"].Should().Be(-BigInteger.Pow(2, 65));
        d["str"].Should().Be("héllo ✓");
        d["tuple"].Should().BeOfType<object?[]>().Which.Should().Equal(1.5, "x", null);
        d["list"].Should().BeOfType<List<object?>>();
        d["size"].Should().BeOfType<long[]>().Which.Should().Equal(2, 3, 4);
        d["dtype"].Should().Be(torch.ScalarType.BFloat16);
        ((IReadOnlyDictionary<object, object?>)d["int_keys"]!)[0L].Should().Be("zero");
        d["bytes"].Should().BeOfType<byte[]>().Which.Should().Equal(0, 1, 255);
        d["complex"].Should().Be(new Complex(1, -2));
        ((IReadOnlySet<object>)d["set"]!).Should().BeEquivalentTo(new object[] { 3L });
        Torch.Save(new object?[] { 1, (short)2, 3u, 4.5f, (Half)0.5, 7UL << 62, new[] { 1, 2 }, new List<int> { 3 }, (1, "a") }, path);
        var t = (object?[])Torch.Load(path)!;
        t.Should().HaveCount(9);
        t[..6].Should().Equal(1L, 2L, 3L, 4.5, 0.5, new BigInteger(7UL << 62));
        t[6].Should().BeOfType<long[]>().Which.Should().Equal(1, 2);
        t[7].Should().BeOfType<long[]>("an integer sequence is a torch.Size");
        t[8].Should().BeOfType<object?[]>().Which.Should().Equal(1L, "a");
    }

    [Fact]
    public void UnwritableObjectsAreRefusedBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        string path = dir.File("x.pt");
        var bad = () => Torch.Save(new Dictionary<string, object?> { ["x"] = new Uri("http://localhost") }, path);
        bad.Should().Throw<ArgumentException>().WithMessage("Torch.Save cannot write a System.Uri*");
        object?[] deep = [null];
        object?[] current = deep;
        for (int i = 0; i < 1100; i++)
        {
            object?[] next = [null];
            current[0] = next;
            current = next;
        }

        var tooDeep = () => Torch.Save(deep, path);
        tooDeep.Should().Throw<ArgumentException>().WithMessage("*more than 1000 levels*");
        using torch.Tensor f = torch.zeros(4, torch.ScalarType.ComplexFloat32);
        using torch.Tensor asInt = torch.view_as_real(f);
        var aliasTypes = () => Torch.Save(new object?[] { f, asInt }, path);
        aliasTypes.Should().Throw<ArgumentException>().WithMessage("Cannot save multiple tensors or storages that view the same data as different types*");
        File.Exists(path).Should().BeFalse();
    }

    [TorchPythonFact]
    public void PyTorchReadsWhatTorchFacadeWrites()
    {
        using var dir = new TempDir();
        var views = Torch.Load(CheckpointFixtures.PathOf("views.pt"));
        var dtypes = Torch.Load(CheckpointFixtures.PathOf("dtypes.pt"));
        var nested = Torch.Load(CheckpointFixtures.PathOf("nested.pt"));
        Torch.Save(new Dictionary<string, object?> { ["views"] = views, ["dtypes"] = dtypes, ["nested"] = nested }, dir.File("from_csharp.pt"));
        (int code, string output) = TorchPython.Run(
            "import sys, math, torch\n"
            + "c = torch.load(sys.argv[1], weights_only=True)\n"
            + "v = torch.load(sys.argv[2], weights_only=True); d = torch.load(sys.argv[3], weights_only=True); n = torch.load(sys.argv[4], weights_only=True)\n"
            + "def same(a, b):\n"
            + "    assert a.dtype == b.dtype and a.shape == b.shape and a.stride() == b.stride() and a.storage_offset() == b.storage_offset(), (a, b)\n"
            + "    assert a.requires_grad == b.requires_grad\n"
            + "    assert a.contiguous().reshape(-1).view(torch.uint8).equal(b.contiguous().reshape(-1).view(torch.uint8))\n"
            + "for k in v: same(c['views'][k], v[k])\n"
            + "for k in d: same(c['dtypes'][k], d[k])\n"
            + "cv = c['views']\n"
            + "assert cv['transposed'].untyped_storage().data_ptr() == cv['base'].untyped_storage().data_ptr()\n"
            + "assert cv['other'].untyped_storage().data_ptr() == cv['other_again'].untyped_storage().data_ptr()\n"
            + "cn = c['nested']\n"
            + "for k in n:\n"
            + "    if k == 'nan': assert math.isnan(cn[k])\n"
            + "    elif isinstance(n[k], torch.Tensor) or k in ('int_keys', 'tensor_in_list'): pass\n"
            + "    else: assert cn[k] == n[k] or (isinstance(n[k], tuple) and list(cn[k]) == list(n[k])), (k, cn[k], n[k])\n"
            + "assert torch.equal(cn['int_keys'][1]['nested'], n['int_keys'][1]['nested'])\n"
            + "print('ok')",
            dir.File("from_csharp.pt"), CheckpointFixtures.PathOf("views.pt"), CheckpointFixtures.PathOf("dtypes.pt"), CheckpointFixtures.PathOf("nested.pt"));
        output.Should().Contain("ok");
        code.Should().Be(0, output);
    }
}
