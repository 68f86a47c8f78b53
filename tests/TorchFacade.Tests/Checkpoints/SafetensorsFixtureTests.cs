using System.Text.Json;
using FluentAssertions;
using TorchFacade.Tests.Interop;
using TorchSharp;
using TorchFacade.TestSupport;
using Xunit;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>Files the safetensors package wrote load bit-exactly, copied and memory-mapped; files written here match its bytes.</summary>
[Collection(PinCountCollection.Name)]
public class SafetensorsFixtureTests
{
    public static TheoryData<string, bool> Files()
    {
        var data = new TheoryData<string, bool>();
        foreach (JsonProperty file in CheckpointFixtures.Manifest.GetProperty("safetensors").EnumerateObject())
        {
            data.Add(file.Name, false);
            data.Add(file.Name, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void SafetensorsFilesLoadBitExactly(string file, bool memoryMap)
    {
        JsonElement expected = CheckpointFixtures.Manifest.GetProperty("safetensors").GetProperty(file);
        IReadOnlyDictionary<string, torch.Tensor> tensors = Safetensors.Load(CheckpointFixtures.PathOf(file), memoryMap);
        try
        {
            tensors.Keys.Should().Equal(expected.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal), "load_file returns the names in sorted order");
            foreach (JsonProperty p in expected.EnumerateObject())
            {
                CheckpointFixtures.AssertMatches(tensors[p.Name], p.Value, $"{file}:{p.Name}", layout: false);
            }
        }
        finally
        {
            foreach (torch.Tensor t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    public void MemoryMappedTensorsAliasTheMappingAndReleaseItWithTheLastTensor()
    {
        long before = PinnedMemory.LiveCount;
        IReadOnlyDictionary<string, torch.Tensor> tensors = Safetensors.Load(CheckpointFixtures.PathOf("dtypes.safetensors"), memoryMap: true);
        PinnedMemory.LiveCount.Should().Be(before + tensors.Values.Count(t => t.numel() > 0), "every non-empty tensor aliases the one mapping");
        long first = (long)Native.Data(tensors["float64"]);
        long second = (long)Native.Data(tensors["float32"]);
        Math.Abs(first - second).Should().BeLessThan(4096, "both point into the same small mapped file");
        foreach (torch.Tensor t in tensors.Values)
        {
            t.Dispose();
        }

        PinnedMemory.LiveCount.Should().Be(before);
    }

    [Fact]
    public void MetadataIsReadFromTheHeaderAlone()
    {
        Safetensors.Metadata(CheckpointFixtures.PathOf("with_metadata.safetensors")).Should().BeEquivalentTo(new Dictionary<string, string> { ["format"] = "pt" });
        Safetensors.Metadata(CheckpointFixtures.PathOf("dtypes.safetensors")).Should().BeEmpty();
    }

    [Fact]
    public void ShardedCheckpointsLoadThroughTheirIndex()
    {
        string index = CheckpointFixtures.PathOf("shards/model.safetensors.index.json");
        IReadOnlyDictionary<string, torch.Tensor> tensors = Safetensors.Load(index);
        tensors.Keys.Should().Equal("layer0.bias", "layer0.weight", "layer1.bias", "layer1.weight");
        foreach (JsonProperty p in CheckpointFixtures.Manifest.GetProperty("safetensors").GetProperty("shards/model.safetensors.index.json").EnumerateObject())
        {
            CheckpointFixtures.AssertMatches(tensors[p.Name], p.Value, p.Name, layout: false);
        }

        Safetensors.Metadata(index)["total_size"].Should().Be("52", "the index records 13 float32 values");
        foreach (torch.Tensor t in tensors.Values)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void SavingWritesTheReferenceWritersBytes()
    {
        // ordered.safetensors: five dtypes whose layout the reference writer sorts by descending alignment, then by name.
        string reference = CheckpointFixtures.PathOf("ordered.safetensors");
        IReadOnlyDictionary<string, torch.Tensor> tensors = Safetensors.Load(reference);
        using var dir = new TempDir();
        string path = dir.File("ordered.safetensors");
        Safetensors.Save(path, tensors.Reverse().ToDictionary(p => p.Key, p => p.Value));
        File.ReadAllBytes(path).Should().Equal(File.ReadAllBytes(reference));

        IReadOnlyDictionary<string, torch.Tensor> meta = Safetensors.Load(CheckpointFixtures.PathOf("with_metadata.safetensors"));
        string metaPath = dir.File("meta.safetensors");
        Safetensors.Save(metaPath, meta, new Dictionary<string, string> { ["format"] = "pt" });
        File.ReadAllBytes(metaPath).Should().Equal(File.ReadAllBytes(CheckpointFixtures.PathOf("with_metadata.safetensors")));
        foreach (torch.Tensor t in tensors.Values.Concat(meta.Values))
        {
            t.Dispose();
        }
    }

    [Fact]
    public void EveryDtypeRoundTrips()
    {
        using var dir = new TempDir();
        foreach (string file in new[] { "dtypes.safetensors", "unsigned.safetensors", "complex64.safetensors" })
        {
            IReadOnlyDictionary<string, torch.Tensor> tensors = Safetensors.Load(CheckpointFixtures.PathOf(file));
            string path = dir.File(file);
            Safetensors.Save(path, tensors);
            IReadOnlyDictionary<string, torch.Tensor> again = Safetensors.Load(path);
            again.Keys.Should().Equal(tensors.Keys);
            foreach (string name in tensors.Keys)
            {
                again[name].dtype.Should().Be(tensors[name].dtype);
                again[name].shape.Should().Equal(tensors[name].shape);
                CheckpointFixtures.HexOf(again[name]).Should().Be(CheckpointFixtures.HexOf(tensors[name]), name);
            }

            foreach (torch.Tensor t in tensors.Values.Concat(again.Values))
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    public void SavingRefusesWhatPythonRefuses()
    {
        using var dir = new TempDir();
        using torch.Tensor a = torch.arange(6, torch.ScalarType.Float32).reshape(2, 3);
        using torch.Tensor t = a.t();
        var nonContiguous = () => Safetensors.Save(dir.File("x.safetensors"), new Dictionary<string, torch.Tensor> { ["t"] = t });
        nonContiguous.Should().Throw<ArgumentException>().WithMessage("*You are trying to save a non contiguous tensor: `t` which is not allowed.*");

        using torch.Tensor row = a[0];
        var shared = () => Safetensors.Save(dir.File("x.safetensors"), new Dictionary<string, torch.Tensor> { ["a"] = a, ["row"] = row });
        shared.Should().Throw<ArgumentException>().WithMessage("*Some tensors share memory, this will lead to duplicate memory on disk*{'a', 'row'}*");

        // Disjoint parts of one storage are allowed, as in Python.
        using torch.Tensor flat = torch.arange(6, torch.ScalarType.Float32);
        using torch.Tensor head = flat[..3];
        using torch.Tensor tail = flat[3..];
        Safetensors.Save(dir.File("ok.safetensors"), new Dictionary<string, torch.Tensor> { ["head"] = head, ["tail"] = tail });
        IReadOnlyDictionary<string, torch.Tensor> back = Safetensors.Load(dir.File("ok.safetensors"));
        back["tail"].data<float>().ToArray().Should().Equal(3f, 4f, 5f);
        foreach (torch.Tensor x in back.Values)
        {
            x.Dispose();
        }

        using torch.Tensor c128 = torch.zeros(2, torch.ScalarType.ComplexFloat64);
        var complex = () => Safetensors.Save(dir.File("x.safetensors"), new Dictionary<string, torch.Tensor> { ["c"] = c128 });
        complex.Should().Throw<ArgumentException>().WithMessage("*complex128*");
        File.Exists(dir.File("x.safetensors")).Should().BeFalse("nothing is written when the input is refused");
    }

    [TorchPythonFact]
    public void PythonReadsWhatTorchFacadeWrites()
    {
        using var dir = new TempDir();
        IReadOnlyDictionary<string, torch.Tensor> tensors = Safetensors.Load(CheckpointFixtures.PathOf("dtypes.safetensors"));
        string path = dir.File("from_csharp.safetensors");
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["written_by"] = "TorchFacade" });
        (int code, string output) = TorchPython.Run(
            "import sys, torch\nfrom safetensors.torch import load_file\nfrom safetensors import safe_open\n"
            + "a = load_file(sys.argv[1]); b = load_file(sys.argv[2])\n"
            + "assert a.keys() == b.keys(), (a.keys(), b.keys())\n"
            + "for k in a: assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and a[k].reshape(-1).view(torch.uint8).equal(b[k].reshape(-1).view(torch.uint8)), k\n"
            + "assert safe_open(sys.argv[1], 'pt').metadata() == {'written_by': 'TorchFacade'}\nprint('ok', len(a))",
            path, CheckpointFixtures.PathOf("dtypes.safetensors"));
        output.Should().Contain("ok 14");
        code.Should().Be(0);
        foreach (torch.Tensor t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
