using System.Globalization;
using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace TorchFacade.Examples;

/// <summary>
/// Trains a small model in C# (to fit y = x₀ − 2·x₁, Adam with a StepLR schedule), exports its weights as PyTorch's
/// <c>weights.pt</c> and as <c>weights.safetensors</c> and a resumable <c>checkpoint.pt</c> (model, optimizer, scheduler,
/// epoch), and reads them back the way snippet.py does in Python; the printed keys, shapes and the
/// reloaded model's agreement are what Python sees (tests/TorchFacade.Tests/Checkpoints has the round trip through real
/// PyTorch). With <c>TORCHFACADE_EXPORT_DIR</c> set, the files are kept in that folder for snippet.py.
/// </summary>
public sealed class ExportWeightsExample : Example
{
    /// <summary>Creates the example.</summary>
    public ExportWeightsExample()
        : base("16-export-weights")
    {
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();
        string? keep = Environment.GetEnvironmentVariable("TORCHFACADE_EXPORT_DIR");
        string folder = keep ?? Path.Combine(Path.GetTempPath(), $"torchfacade-export-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            torch.manual_seed(0);
            using var model = Sequential(("0", Linear(2, 4)), ("1", ReLU()), ("2", Linear(4, 1)));
            using var optimizer = BuiltInOptimizers.Adam(model.parameters(), lr: 0.05);
            var scheduler = new StepLR(optimizer, stepSize: 50, gamma: 0.5);
            torch.Tensor x = torch.randn(64, 2);
            torch.Tensor y = (x[.., 0] - (2 * x[.., 1])).unsqueeze(1);
            float first = 0, last = 0;
            for (int i = 0; i < 200; i++)
            {
                using var step = torch.NewDisposeScope();
                optimizer.ZeroGrad();
                torch.Tensor loss = (model.forward(x) - y).pow(2).mean();
                loss.backward();
                optimizer.Step();
                scheduler.Step();
                last = loss.item<float>();
                first = i == 0 ? last : first;
            }

            Dictionary<string, torch.Tensor> state = model.state_dict();                // model.state_dict()
            Torch.Save(state, Path.Combine(folder, "weights.pt"));                      // torch.save(model.state_dict(), "weights.pt")
            Safetensors.Save(Path.Combine(folder, "weights.safetensors"), state);       // save_file(model.state_dict(), "weights.safetensors")
            Torch.Save(                                                                 // torch.save({"model": ..., "optimizer": ..., "scheduler": ..., "epoch": 200}, "checkpoint.pt")
                new Dictionary<string, object?> { ["model"] = state, ["optimizer"] = optimizer.StateDict(), ["scheduler"] = scheduler.StateDict(), ["epoch"] = 200 },
                Path.Combine(folder, "checkpoint.pt"));

            var fromPt = (IReadOnlyDictionary<string, object?>)Torch.Load(Path.Combine(folder, "weights.pt"))!;
            IReadOnlyDictionary<string, torch.Tensor> fromSafetensors = Safetensors.Load(Path.Combine(folder, "weights.safetensors"));
            foreach ((string key, object? value) in fromPt)
            {
                output.WriteLine($"{key}: {CheckpointShape((torch.Tensor)value!)}");
            }

            using var reloaded = Sequential(("0", Linear(2, 4)), ("1", ReLU()), ("2", Linear(4, 1)));
            reloaded.LoadStateDict(fromPt);                                             // model.load_state_dict(torch.load("weights.pt"))
            torch.Tensor probe = torch.tensor(new float[] { 1, 2, 3, -1 }).reshape(2, 2);
            bool same = (reloaded.forward(probe) == model.forward(probe)).all().item<bool>();
            reloaded.LoadStateDict(fromSafetensors);                                    // model.load_state_dict(load_file("weights.safetensors"))
            same &= (reloaded.forward(probe) == model.forward(probe)).all().item<bool>();
            output.WriteLine($"reloaded model computes the trained model's outputs: {same}");
            output.WriteLine($"training cut the loss at least tenfold: {last * 10 < first}");

            // What PyTorch finds in checkpoint.pt to resume from (snippet.py loads it into torch.optim.Adam and StepLR).
            var checkpoint = (IReadOnlyDictionary<string, object?>)Torch.Load(Path.Combine(folder, "checkpoint.pt"))!;
            var savedOptimizer = (IReadOnlyDictionary<string, object?>)checkpoint["optimizer"]!;
            var savedGroup = (IReadOnlyDictionary<string, object?>)((IReadOnlyList<object?>)savedOptimizer["param_groups"]!)[0]!;
            var savedScheduler = (IReadOnlyDictionary<string, object?>)checkpoint["scheduler"]!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"checkpoint.pt: epoch {checkpoint["epoch"]}, lr {(double)savedGroup["lr"]!:R}, initial_lr {(double)savedGroup["initial_lr"]!:R}, scheduler last_epoch {savedScheduler["last_epoch"]}"));
            foreach (torch.Tensor t in fromSafetensors.Values)
            {
                t.Dispose();
            }
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string CheckpointShape(torch.Tensor t) => $"torch.Size([{string.Join(", ", t.shape)}])";
}
