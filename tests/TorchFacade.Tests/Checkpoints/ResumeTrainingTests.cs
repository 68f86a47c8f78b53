using System.Text.Json;
using FluentAssertions;
using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;
using TorchSharp;
using TorchFacade.TestSupport;
using Xunit;
using static TorchSharp.torch.nn;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>
/// Training resumes across the two languages on one trajectory: checkpoints <c>{"model", "optimizer", "scheduler",
/// "epoch"}</c> PyTorch 2.6 wrote (tests/fixtures/checkpoints/make_resume_fixtures.py) continue in C# with PyTorch's
/// losses and learning rates, and a checkpoint C# writes continues in PyTorch with the losses C# gets itself.
/// Three configs: SGD with momentum and StepLR, AdamW (amsgrad) and OneCycleLR (which also cycles the betas), RMSprop
/// with momentum and SequentialLR(LinearLR, ExponentialLR) (a scheduler holding schedulers).
/// </summary>
[Collection(Interop.PinCountCollection.Name)]
public class ResumeTrainingTests
{
    private static readonly string[] ConfigNames = ["sgd_steplr", "adamw_onecycle", "rmsprop_sequential"];

    public static TheoryData<string> Configs => new(ConfigNames);

    private static JsonElement Expected(string config) =>
        JsonDocument.Parse(File.ReadAllText(CheckpointFixtures.PathOf("resume.json"))).RootElement.GetProperty("configs").GetProperty(config);

    /// <summary>The config as make_resume_fixtures.py's <c>build</c> makes it.</summary>
    internal static (Optimizer Optimizer, LRScheduler Scheduler) Build(string config, Module<torch.Tensor, torch.Tensor> model)
    {
        switch (config)
        {
            case "sgd_steplr":
                BuiltInOptimizer sgd = BuiltInOptimizers.SGD(model.parameters(), lr: 0.1, momentum: 0.9);
                return (sgd, new StepLR(sgd, stepSize: 2, gamma: 0.5));
            case "adamw_onecycle":
                BuiltInOptimizer adamw = BuiltInOptimizers.AdamW(model.parameters(), lr: 0.01, amsgrad: true);
                return (adamw, new OneCycleLR(adamw, maxLr: 0.05, totalSteps: 12));
            default:
                BuiltInOptimizer rmsprop = BuiltInOptimizers.RMSprop(model.parameters(), lr: 0.01, momentum: 0.5);
                var first = new LinearLR(rmsprop, startFactor: 0.5, totalIters: 2);
                var second = new ExponentialLR(rmsprop, gamma: 0.9);
                return (rmsprop, new SequentialLR(rmsprop, [first, second], [2]));
        }
    }

    internal static Module<torch.Tensor, torch.Tensor> NewModel() => Sequential(("0", Linear(3, 8)), ("1", Tanh()), ("2", Linear(8, 1)));

    /// <summary>One epoch as the script's <c>epoch</c>: a full-batch step, then the scheduler; returns the loss and the next learning rate.</summary>
    internal static (float Loss, double Lr) Epoch(Module<torch.Tensor, torch.Tensor> model, Optimizer optimizer, LRScheduler scheduler, torch.Tensor x, torch.Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.ZeroGrad();
        torch.Tensor loss = (model.forward(x) - y).pow(2).mean();
        loss.backward();
        optimizer.Step();
        scheduler.Step();
        return (loss.item<float>(), optimizer.ParamGroups[0].Lr);
    }

    /// <summary>Loads a checkpoint into a fresh model, optimizer and scheduler, in the order PyTorch users do.</summary>
    internal static (Module<torch.Tensor, torch.Tensor> Model, Optimizer Optimizer, LRScheduler Scheduler, IReadOnlyDictionary<string, object?> Checkpoint) Resume(string config, string path)
    {
        var checkpoint = (IReadOnlyDictionary<string, object?>)Torch.Load(path)!;
        var model = NewModel();
        (Optimizer optimizer, LRScheduler scheduler) = Build(config, model);
        model.LoadStateDict((IReadOnlyDictionary<string, object?>)checkpoint["model"]!);
        optimizer.LoadStateDict((IReadOnlyDictionary<string, object?>)checkpoint["optimizer"]!);
        scheduler.LoadStateDict((IReadOnlyDictionary<string, object?>)checkpoint["scheduler"]!);
        return (model, optimizer, scheduler, checkpoint);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void APyTorchCheckpointResumesInCSharpOnPyTorchsTrajectory(string config)
    {
        (var model, Optimizer optimizer, LRScheduler scheduler, var checkpoint) = Resume(config, CheckpointFixtures.PathOf($"resume_{config}.pt"));
        using (model)
        using (optimizer)
        {
            checkpoint["epoch"].Should().Be(3L);
            var x = (torch.Tensor)checkpoint["x"]!;
            var y = (torch.Tensor)checkpoint["y"]!;
            JsonElement expected = Expected(config);
            double[] losses = [.. expected.GetProperty("losses_after_resume").EnumerateArray().Select(e => e.GetDouble())];
            double[] lrs = [.. expected.GetProperty("lrs_after_resume").EnumerateArray().Select(e => e.GetDouble())];
            for (int epoch = 0; epoch < 3; epoch++)
            {
                (float loss, double lr) = Epoch(model, optimizer, scheduler, x, y);
                // The same float32 kernels on the same weights and state: PyTorch's loss to a few float32 ulps (the
                // optimizers' own arithmetic may associate differently); the schedules are double arithmetic and equal.
                loss.Should().BeApproximately((float)losses[epoch], 2e-6f, $"{config}: epoch {4 + epoch} after resuming");
                lr.Should().BeApproximately(lrs[epoch], 1e-15, $"{config}: the learning rate after epoch {4 + epoch}");
            }
        }
    }

    [TorchPythonFact]
    public void ACSharpCheckpointResumesInPyTorchOnTheCSharpTrajectory()
    {
        using var dir = new Interop.TempDir();
        string script = CheckpointFixtures.PathOf("make_resume_fixtures.py");
        foreach (string config in ConfigNames)
        {
            // C# resumes PyTorch's checkpoint, trains epochs 4–6, saves its own checkpoint, and goes on to epoch 9.
            (var model, Optimizer optimizer, LRScheduler scheduler, var checkpoint) = Resume(config, CheckpointFixtures.PathOf($"resume_{config}.pt"));
            using (model)
            using (optimizer)
            {
                var x = (torch.Tensor)checkpoint["x"]!;
                var y = (torch.Tensor)checkpoint["y"]!;
                for (int epoch = 0; epoch < 3; epoch++)
                {
                    Epoch(model, optimizer, scheduler, x, y);
                }

                string path = dir.File($"csharp_{config}.pt");
                Torch.Save(new Dictionary<string, object?>
                {
                    ["model"] = model.state_dict(),
                    ["optimizer"] = optimizer.StateDict(),
                    ["scheduler"] = scheduler.StateDict(),
                    ["epoch"] = 6,
                    ["x"] = x,
                    ["y"] = y,
                }, path);
                var mine = Enumerable.Range(0, 3).Select(_ => Epoch(model, optimizer, scheduler, x, y)).ToList();

                // PyTorch 2.6 loads it into its own model, optimizer and scheduler and trains epochs 7–9.
                (int code, string output) = TorchPython.Run(
                    "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')", script, "resume", config, path);
                code.Should().Be(0, output);
                string json = output.Split('\n').First(l => l.StartsWith("{\"epoch\"", StringComparison.Ordinal));
                JsonElement theirs = JsonDocument.Parse(json).RootElement;
                theirs.GetProperty("epoch").GetInt64().Should().Be(6);
                double[] losses = [.. theirs.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble())];
                double[] lrs = [.. theirs.GetProperty("lrs").EnumerateArray().Select(e => e.GetDouble())];
                for (int epoch = 0; epoch < 3; epoch++)
                {
                    ((double)mine[epoch].Loss).Should().BeApproximately(losses[epoch], 2e-6, $"{config}: PyTorch's epoch {7 + epoch} from C#'s checkpoint");
                    mine[epoch].Lr.Should().BeApproximately(lrs[epoch], 1e-15, $"{config}: PyTorch's learning rate after epoch {7 + epoch}");
                }
            }
        }
    }
}
