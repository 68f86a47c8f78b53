using System.Text.Json;
using FluentAssertions;
using TorchSharp;
using TorchFacade.TestSupport;
using Xunit;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>
/// Sparse COO and meta tensors, which <c>torch.save</c> writes and <c>torch.load(weights_only=True)</c> reads back:
/// PyTorch 2.6's files (tests/fixtures/checkpoints/make_layout_fixtures.py, layouts.json) load with their sizes,
/// strides and values; sparse tensors that break PyTorch's invariants are refused with PyTorch's message; Torch.Save
/// writes both so that Torch.Load and PyTorch read them back; CSR (which has no TorchSharp counterpart) is refused.
/// </summary>
[Collection(Interop.PinCountCollection.Name)]
public class LayoutCheckpointTests
{
    private static readonly JsonElement Layouts =
        JsonDocument.Parse(File.ReadAllText(CheckpointFixtures.PathOf("layouts.json"))).RootElement;

    private static float[] Dense(torch.Tensor sparse)
    {
        using torch.Tensor dense = sparse.to_dense();
        using torch.Tensor flat = dense.flatten();
        return flat.data<float>().ToArray();
    }

    [Fact]
    public void PyTorchsSparseCooTensorsLoadWithTheirValues()
    {
        var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("sparse.pt"))!;
        try
        {
            foreach (JsonProperty p in Layouts.GetProperty("sparse").EnumerateObject())
            {
                var t = (torch.Tensor)loaded[p.Name]!;
                t.is_sparse.Should().BeTrue(p.Name);
                t.shape.Should().Equal(p.Value.GetProperty("size").EnumerateArray().Select(e => e.GetInt64()), p.Name);
                Dense(t).Should().Equal(p.Value.GetProperty("dense").EnumerateArray().Select(e => (float)e.GetDouble()), p.Name);
                using torch.Tensor indices = t.SparseIndices;
                indices.shape.Should().Equal([p.Value.GetProperty("sparse_dim").GetInt64(), p.Value.GetProperty("nnz").GetInt64()], p.Name);
            }
        }
        finally
        {
            TorchFacade.Fuzz.FuzzCampaign.DisposeAll(loaded);
        }
    }

    [Fact]
    public void PyTorchsMetaTensorsLoadOnTheMetaDevice()
    {
        var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("meta.pt"))!;
        try
        {
            foreach (JsonProperty p in Layouts.GetProperty("meta").EnumerateObject())
            {
                var t = (torch.Tensor)loaded[p.Name]!;
                t.device_type.Should().Be(DeviceType.META, p.Name);
                t.shape.Should().Equal(p.Value.GetProperty("size").EnumerateArray().Select(e => e.GetInt64()), p.Name);
                t.stride().Should().Equal(p.Value.GetProperty("stride").EnumerateArray().Select(e => e.GetInt64()), p.Name);
                ("torch." + CheckpointDTypes.TorchName(t.dtype)).Should().Be(p.Value.GetProperty("dtype").GetString(), p.Name);
                t.requires_grad.Should().Be(p.Value.GetProperty("requires_grad").GetBoolean(), p.Name);
            }
        }
        finally
        {
            TorchFacade.Fuzz.FuzzCampaign.DisposeAll(loaded);
        }
    }

    [Theory]
    [InlineData("bad_sparse_index.pt")]
    [InlineData("bad_sparse_coalesced.pt")]
    public void SparseTensorsBreakingPyTorchsInvariantsAreRefusedWithItsMessage(string file)
    {
        JsonElement expected = Layouts.GetProperty("refused").GetProperty(file);
        var load = () => Torch.Load(CheckpointFixtures.PathOf(file));
        CheckpointFormatException refused = load.Should().Throw<CheckpointFormatException>().Which;
        refused.PyTorchType.Should().Be(expected.GetProperty("type").GetString());
        refused.Problem.Should().Contain(expected.GetProperty("message").GetString());
    }

    [Fact]
    public void CsrTensorsAreRefusedAsNotImplemented()
    {
        var load = () => Torch.Load(CheckpointFixtures.PathOf("csr.pt"));
        CheckpointFormatException refused = load.Should().Throw<CheckpointFormatException>().Which;
        refused.PyTorchType.Should().Be("NotImplementedError");
        refused.Problem.Should().Contain("torch.sparse_csr").And.Contain("to_dense()");
    }

    [Fact]
    public void SparseAndMetaTensorsRoundTripThroughTorchSave()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new Interop.TempDir();
        string path = dir.File("layouts.pt");
        torch.Tensor sparse = torch.sparse_coo_tensor(torch.tensor(new long[] { 0, 1, 1, 2, 0, 2 }).reshape(2, 3), torch.tensor(new[] { 3f, 4f, 5f }), [2, 3]);
        torch.Tensor meta = torch.empty_strided([3, 2], [1, 3], torch.ScalarType.Float64, new torch.Device(DeviceType.META));
        Torch.Save(new Dictionary<string, object?> { ["s"] = sparse, ["m"] = meta }, path);
        var loaded = (IReadOnlyDictionary<string, object?>)Torch.Load(path)!;
        try
        {
            var s = (torch.Tensor)loaded["s"]!;
            s.is_sparse.Should().BeTrue();
            Dense(s).Should().Equal(0f, 0f, 3f, 4f, 0f, 5f);
            var m = (torch.Tensor)loaded["m"]!;
            m.device_type.Should().Be(DeviceType.META);
            m.shape.Should().Equal(3L, 2L);
            m.stride().Should().Equal(1L, 3L);
            m.dtype.Should().Be(torch.ScalarType.Float64);
        }
        finally
        {
            TorchFacade.Fuzz.FuzzCampaign.DisposeAll(loaded);
        }
    }

    [TorchPythonFact]
    public void PyTorchReadsTheSparseAndMetaTensorsTorchSaveWrites()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new Interop.TempDir();
        string path = dir.File("layouts.pt");
        torch.Tensor sparse = torch.sparse_coo_tensor(torch.tensor(new long[] { 0, 1, 1, 2, 0, 2 }).reshape(2, 3), torch.tensor(new[] { 3f, 4f, 5f }), [2, 3]);
        torch.Tensor meta = torch.empty_strided([3, 2], [1, 3], torch.ScalarType.Float64, new torch.Device(DeviceType.META));
        Torch.Save(new Dictionary<string, object?> { ["s"] = sparse, ["m"] = meta }, path);
        (int code, string output) = TorchPython.Run(
            "import sys, torch; d = torch.load(sys.argv[1], weights_only=True); s, m = d['s'], d['m'];"
            + "print(s.layout, s.to_dense().flatten().tolist(), m.device, tuple(m.shape), m.stride(), m.dtype)",
            path);
        code.Should().Be(0, output);
        output.Should().Contain("torch.sparse_coo [0.0, 0.0, 3.0, 4.0, 0.0, 5.0] meta (3, 2) (1, 3) torch.float64");
    }
}
