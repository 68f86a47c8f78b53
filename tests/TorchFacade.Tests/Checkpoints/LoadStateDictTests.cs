using System.Text.Json;
using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch.nn;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>Module.LoadStateDict matches PyTorch's load_state_dict: values, buffers, and its exact error text.</summary>
public class LoadStateDictTests
{
    internal static Module<torch.Tensor, torch.Tensor> TrainingModel(int hidden = 8) =>
        Sequential(("0", Linear(3, hidden)), ("1", Tanh()), ("2", Linear(hidden, 1)));

    private static string Expected(string name) => CheckpointFixtures.Manifest.GetProperty("load_state_dict").GetProperty(name).GetString()!;

    [Fact]
    public void AModelLoadedFromAPyTorchCheckpointComputesPyTorchsLoss()
    {
        var checkpoint = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("training.pt"))!;
        using var model = TrainingModel();
        IncompatibleKeys keys = model.LoadStateDict((IReadOnlyDictionary<string, object?>)checkpoint["model"]!);
        keys.MissingKeys.Should().BeEmpty();
        keys.UnexpectedKeys.Should().BeEmpty();
        keys.ToString().Should().Be("<All keys matched successfully>");
        var x = (torch.Tensor)checkpoint["x"]!;
        var y = (torch.Tensor)checkpoint["y"]!;
        using torch.Tensor loss = (model.forward(x) - y).pow(2).mean();
        double expected = CheckpointFixtures.Manifest.GetProperty("training").GetProperty("losses_after_resume")[0].GetDouble();
        // The same float32 kernels on the same weights: PyTorch's first loss after resuming, to float32 rounding.
        loss.item<float>().Should().BeApproximately((float)expected, 2e-7f);
    }

    [Fact]
    public void ABatchNormCheckpointWithoutNumBatchesTrackedLoadsStrictlyAsInPyTorch()
    {
        // PyTorch's _BatchNorm fills a missing num_batches_tracked from the module itself when the state dict carries no
        // version metadata (a plain dict, a safetensors file, a pre-0.4.1 checkpoint); every dict TorchFacade loads is such.
        using var bn = BatchNorm1d(3);
        using (torch.no_grad())
        {
            bn.state_dict()["num_batches_tracked"].fill_(5);
        }

        var checkpoint = new Dictionary<string, torch.Tensor>
        {
            ["weight"] = torch.full(3, 2.0f), ["bias"] = torch.full(3, 0.5f), ["running_mean"] = torch.full(3, 1.0f), ["running_var"] = torch.full(3, 4.0f),
        };

        IncompatibleKeys keys = bn.LoadStateDict(checkpoint);

        keys.MissingKeys.Should().BeEmpty("PyTorch 2.6 reports nothing missing here");
        bn.state_dict()["num_batches_tracked"].item<long>().Should().Be(5, "the module keeps its own count");
        bn.state_dict()["running_var"].data<float>().ToArray().Should().Equal(4f, 4f, 4f);
        using var linear = Linear(2, 2);
        FluentActions.Invoking(() => linear.LoadStateDict(new Dictionary<string, torch.Tensor> { ["weight"] = torch.ones(2, 2) }))
            .Should().Throw<TorchException>().WithMessage("*Missing key(s) in state_dict: \"bias\"*", "only BatchNorm's counter has the exception");
    }

    [Fact]
    public void BuffersLoadToo()
    {
        var state = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("batchnorm.pt"))!;
        using var model = Sequential(("0", Linear(3, 4)), ("1", BatchNorm1d(4)));
        model.LoadStateDict(state);
        model.eval();
        JsonElement bn = CheckpointFixtures.Manifest.GetProperty("batchnorm");
        float[] input = bn.GetProperty("input").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        float[] output = bn.GetProperty("output").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        using torch.Tensor x = torch.tensor(input).reshape(2, 3);
        using torch.Tensor result = model.forward(x);
        float[] actual = result.data<float>().ToArray();
        for (int i = 0; i < actual.Length; i++)
        {
            actual[i].Should().BeApproximately(output[i], 1e-5f, "eval uses the loaded running statistics");
        }

        ((torch.Tensor)state["1.num_batches_tracked"]!).item<long>().Should().Be(1);
    }

    [Fact]
    public void SizeMismatchesAreNamedPerKeyInPyTorchsWords()
    {
        var checkpoint = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("training.pt"))!;
        using var other = TrainingModel(hidden: 5);
        var load = () => other.LoadStateDict((IReadOnlyDictionary<string, object?>)checkpoint["model"]!);
        TorchException error = load.Should().Throw<TorchException>().Which;
        error.Message.Should().Be(Expected("size_mismatch"));
        error.PyTorchType.Should().Be("RuntimeError", "PyTorch raises RuntimeError");
        error.PyTorchMessage.Should().Be(Expected("size_mismatch"));
    }

    [Fact]
    public void MissingAndUnexpectedKeysReadAsInPyTorch()
    {
        var checkpoint = (IReadOnlyDictionary<string, object?>)Torch.Load(CheckpointFixtures.PathOf("training.pt"))!;
        var sd = (IReadOnlyDictionary<string, object?>)checkpoint["model"]!;
        using var shorter = Sequential(("0", Linear(3, 8)), ("1", Tanh()));
        var unexpected = () => shorter.LoadStateDict(sd);
        unexpected.Should().Throw<TorchException>().Which.Message.Should().Be(Expected("unexpected"));

        var edited = sd.Where(p => p.Key != "0.bias").ToDictionary(p => p.Key, p => p.Value);
        edited["extra.w"] = torch.ones(1);
        edited["2.bogus"] = torch.ones(1);
        using var model = TrainingModel();
        var both = () => model.LoadStateDict(edited);
        both.Should().Throw<TorchException>().Which.PyTorchType.Should().Be("RuntimeError");
        both.Should().Throw<TorchException>().Which.Message.Should().Be(Expected("missing_and_unexpected"));

        edited.Remove("2.bogus");
        IncompatibleKeys keys = model.LoadStateDict(edited, strict: false);
        keys.MissingKeys.Should().Equal("0.bias");
        keys.UnexpectedKeys.Should().Equal("extra.w");
        keys.ToString().Should().Be("_IncompatibleKeys(missing_keys=['0.bias'], unexpected_keys=['extra.w'])");
    }

    [Fact]
    public void ValuesAreCopiedInPlaceWithDtypeConversionAndNonTensorsAreRefused()
    {
        using var model = Sequential(("fc", Linear(2, 1)));
        var weight = model.parameters().First();
        IntPtr before = Native.Data(weight);
        var state = new Dictionary<string, torch.Tensor>
        {
            ["fc.weight"] = torch.tensor(new[] { 1.0, 2.0 }).reshape(1, 2),
            ["fc.bias"] = torch.tensor(new[] { 0.5 }),
        };
        model.LoadStateDict(state);
        weight.dtype.Should().Be(torch.ScalarType.Float32, "copy_ converts, as in PyTorch");
        weight.data<float>().ToArray().Should().Equal(1f, 2f);
        Native.Data(weight).Should().Be(before, "the parameter is updated in place");
        weight.requires_grad.Should().BeTrue();

        var bad = () => model.LoadStateDict(new Dictionary<string, object?> { ["fc.weight"] = 3L, ["fc.bias"] = torch.zeros(1) });
        bad.Should().Throw<TorchException>().WithMessage("*While copying the parameter named \"fc.weight\", expected torch.Tensor or Tensor-like object from checkpoint but received <class 'int'>*");
    }
}
