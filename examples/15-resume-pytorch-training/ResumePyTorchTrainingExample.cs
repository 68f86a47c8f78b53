using System.Globalization;
using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace TorchFacade.Examples;

/// <summary>
/// Resumes in C# a training run PyTorch checkpointed (snippet.py wrote <c>checkpoint.pt</c> after three epochs): the
/// model, the SGD momentum buffers and the StepLR schedule load from PyTorch's own file, and epochs 4–6 print the losses
/// PyTorch prints when it resumes the same checkpoint.
/// </summary>
public sealed class ResumePyTorchTrainingExample : Example
{
    /// <summary>Creates the example.</summary>
    public ResumePyTorchTrainingExample()
        : base("15-resume-pytorch-training")
    {
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();
        string path = Path.Combine(Path.GetTempPath(), $"torchfacade-example-{Guid.NewGuid():N}.pt");
        File.WriteAllBytes(path, ExampleResources.ReadBytes($"{Name}/checkpoint.pt") ?? throw new InvalidOperationException("checkpoint.pt is not embedded."));
        try
        {
            // model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
            using var model = Sequential(("0", Linear(3, 8)), ("1", Tanh()), ("2", Linear(8, 1)));
            using var optimizer = BuiltInOptimizers.SGD(model.parameters(), lr: 0.1, momentum: 0.9); // optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
            var scheduler = new StepLR(optimizer, stepSize: 2, gamma: 0.5);                      // scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)

            var checkpoint = (IReadOnlyDictionary<string, object?>)Torch.Load(path)!;               // checkpoint = torch.load("checkpoint.pt", weights_only=True)
            model.LoadStateDict((IReadOnlyDictionary<string, object?>)checkpoint["model"]!);         // model.load_state_dict(checkpoint["model"])
            optimizer.LoadStateDict((IReadOnlyDictionary<string, object?>)checkpoint["optimizer"]!); // optimizer.load_state_dict(checkpoint["optimizer"])
            scheduler.LoadStateDict((IReadOnlyDictionary<string, object?>)checkpoint["scheduler"]!); // scheduler.load_state_dict(checkpoint["scheduler"])
            var x = (torch.Tensor)checkpoint["x"]!;
            var y = (torch.Tensor)checkpoint["y"]!;
            long start = (long)checkpoint["epoch"]!;

            output.WriteLine($"resuming after epoch {start}, lr {Python(optimizer.ParamGroups[0].Lr)}");
            for (long epoch = start + 1; epoch < start + 4; epoch++)
            {
                using var step = torch.NewDisposeScope();
                optimizer.ZeroGrad();                                        // optimizer.zero_grad()
                torch.Tensor loss = (model.forward(x) - y).pow(2).mean();   // loss = ((model(x) - y) ** 2).mean()
                loss.backward();                                             // loss.backward()
                optimizer.Step();                                            // optimizer.step()
                scheduler.Step();                                            // scheduler.step()
                output.WriteLine($"epoch {epoch}: loss {loss.item<float>().ToString("F6", CultureInfo.InvariantCulture)}, next lr {Python(optimizer.ParamGroups[0].Lr)}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Python(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
