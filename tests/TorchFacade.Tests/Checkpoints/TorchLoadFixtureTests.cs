using System.Numerics;
using System.Text.Json;
using FluentAssertions;
using TorchFacade.Tests.Interop;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>Checkpoints PyTorch 2.6's torch.save wrote load with their values, strides, offsets and storage sharing.</summary>
[Collection(PinCountCollection.Name)]
public class TorchLoadFixtureTests
{
    public static TheoryData<string, bool> Files()
    {
        var data = new TheoryData<string, bool>();
        foreach (string file in new[] { "dtypes.pt", "views.pt" })
        {
            data.Add(file, false);
            data.Add(file, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void TensorsLoadWithPyTorchsLayoutAndSharing(string file, bool memoryMap)
    {
        JsonElement expected = CheckpointFixtures.Manifest.GetProperty("torch").GetProperty(file);
        var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf(file), memoryMap: memoryMap)!;
        loaded.Keys.Should().Equal(CheckpointFixtures.Manifest.GetProperty("torch_order").GetProperty(file).EnumerateArray().Select(e => e.GetString()), "insertion order is kept");
        var storageOf = new Dictionary<long, IntPtr>();
        foreach (JsonProperty p in expected.EnumerateObject())
        {
            var t = (torch.Tensor)loaded[p.Name]!;
            CheckpointFixtures.AssertMatches(t, p.Value, $"{file}:{p.Name}", layout: true);
            long group = p.Value.GetProperty("storage").GetInt64();
            IntPtr storage = Native.Storage(t);
            if (storageOf.TryGetValue(group, out IntPtr seen))
            {
                storage.Should().Be(seen, $"{p.Name} shares its storage with an earlier tensor in PyTorch");
            }
            else
            {
                storageOf.Values.Should().NotContain(storage, $"{p.Name} has a storage of its own in PyTorch");
                storageOf[group] = storage;
            }
        }

        foreach (object? v in loaded.Values)
        {
            (v as torch.Tensor)?.Dispose();
        }
    }

    [Fact]
    public void ViewsOfOneStorageStayViewsAfterLoading()
    {
        var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("views.pt"))!;
        var b = (torch.Tensor)loaded["base"]!;
        var t = (torch.Tensor)loaded["transposed"]!;
        var block = (torch.Tensor)loaded["offset_block"]!;
        using (torch.no_grad())
        {
            b[3, 5] = torch.tensor(-1f);
        }

        t[5, 3].item<float>().Should().Be(-1f, "the transpose is a view of the same storage, as in PyTorch");
        block[1, 2].item<float>().Should().Be(-1f);
        foreach (object? v in loaded.Values)
        {
            (v as torch.Tensor)?.Dispose();
        }
    }

    [Fact]
    public void ContainersMapToTheProjectsDotNetTypes()
    {
        var d = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("nested.pt"))!;
        d["int"].Should().Be(7L);
        d["neg"].Should().Be(-123456789L);
        d["big"].Should().Be(BigInteger.Pow(2, 70));
        d["negbig"].Should().Be(-BigInteger.Pow(2, 65));
        d["float"].Should().Be(0.1);
        double.IsNaN((double)d["nan"]!).Should().BeTrue();
        d["true"].Should().Be(true);
        d["false"].Should().Be(false);
        d["none"].Should().BeNull();
        d["str"].Should().Be("héllo ✓");
        var list = (IReadOnlyList<object?>)d["list"]!;
        list[0].Should().Be(1L);
        ((IReadOnlyList<object?>)((IReadOnlyList<object?>)list[1]!)[1]!)[1].Should().Be("deep");
        ((IReadOnlyList<object?>)list[2]!).Should().BeEmpty();
        d["list"].Should().BeOfType<List<object?>>("a Python list");
        d["tuple"].Should().BeOfType<object?[]>("a Python tuple").Which.Should().Equal(1.5, "x", null);
        d["size"].Should().BeOfType<long[]>().Which.Should().Equal(2, 3, 4);
        d["dtype"].Should().Be(torch.ScalarType.BFloat16);
        ((IReadOnlyDictionary<string, object?>)d["od"]!).Keys.Should().Equal("z", "a");
        var intKeys = (IReadOnlyDictionary<object, object?>)d["int_keys"]!;
        intKeys[0L].Should().Be("zero");
        var inner = (IReadOnlyDictionary<string, object?>)intKeys[1L]!;
        ((torch.Tensor)inner["nested"]!).data<float>().ToArray().Should().Equal(1f, 1f);
        ((IReadOnlySet<object>)d["set"]!).Should().BeEquivalentTo(new object[] { 3L });
        d["bytes"].Should().BeOfType<byte[]>().Which.Should().Equal(0, 1, 255);
        d["complex"].Should().Be(new Complex(1, -2));
        ((IReadOnlyList<object?>)d["empty_list"]!).Should().BeEmpty();
        ((IReadOnlyDictionary<string, object?>)d["empty_dict"]!).Should().BeEmpty();
        ((torch.Tensor)((IReadOnlyList<object?>)d["tensor_in_list"]!)[0]!).data<short>().ToArray().Should().Equal(1, 2, 3);
    }

    [Theory]
    [InlineData("hostile_os_system.pt")]
    [InlineData("hostile_eval.pt")]
    public void HostileGlobalsAreRefusedWithPyTorchsMessage(string file)
    {
        string pyTorchMessage = CheckpointFixtures.Manifest.GetProperty("refused").GetProperty(file).GetProperty("message").GetString()!;
        var load = () => Torch.Load(CheckpointFixtures.PathOf(file));
        CheckpointFormatException ex = load.Should().Throw<CheckpointFormatException>().Which;
        ex.Problem.Should().StartWith(pyTorchMessage, "the message is PyTorch's own");
        ex.PyTorchType.Should().Be("UnpicklingError");
        ex.Problem.Should().Contain("TorchFacade never runs code from a checkpoint");
    }

    [Fact]
    public void LegacyFilesAreRefusedWithHowToResave()
    {
        var load = () => Torch.Load(CheckpointFixtures.PathOf("legacy.pt"));
        load.Should().Throw<CheckpointFormatException>().WithMessage("*legacy serialization format*torch.save(torch.load(path, weights_only=True), path)*");
    }

    [Fact]
    public void WeightsOnlyFalseIsNotSupported()
    {
        var load = () => Torch.Load(CheckpointFixtures.PathOf("views.pt"), weightsOnly: false);
        load.Should().Throw<NotSupportedException>().WithMessage("*never runs code from a checkpoint*");
    }

    [Fact]
    public void SafetensorsFilesAreRecognized()
    {
        var load = () => Torch.Load(CheckpointFixtures.PathOf("dtypes.safetensors"));
        load.Should().Throw<CheckpointFormatException>().WithMessage("*safetensors file*Safetensors.Load*");
    }
}
