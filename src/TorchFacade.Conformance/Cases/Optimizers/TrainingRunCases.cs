using TorchFacade.Optim;
using TorchSharp.Modules;

namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// A short training run, the way optimizers are used: a two-layer MLP (4 → 32 → 1, ReLU) on a synthetic regression task,
/// 60 full-batch steps from the same seeded initialisation, once with the reference optimizer and once with TorchSharp's
/// built-in over <c>module.parameters()</c>. The loss curves must match.
/// </summary>
internal sealed class TrainingRunCases : ICaseSource
{
    /// <summary>Loss curves in float32: 1–2 ULP per step of difference in the parameters, through a 4-32-1 network and a mean.</summary>
    public static readonly Tolerance LossCurve = new(1e-4, 1e-6, "float32 loss over 60 steps of a 4-32-1 MLP: parameter differences of 1–2 ULP per step pass through two matmuls and a mean");

    private static readonly OptimizerSpec[] Specs =
    [
        new(OptimizerKind.SGD) { Lr = 0.05, Momentum = 0.9 },
        new(OptimizerKind.Adam) { Lr = 0.01 },
        new(OptimizerKind.AdamW) { Lr = 0.01, WeightDecay = 0.01 },
        new(OptimizerKind.RMSprop) { Lr = 0.005 },
        new(OptimizerKind.Adagrad) { Lr = 0.05 },
    ];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (OptimizerSpec spec in Specs)
        {
            foreach (string device in ConformanceDevices.All)
            {
                yield return CaseKit.Make(CaseGroup.Optimizers, $"optimizer/training/mlp/{spec.Name}/{spec.Label}/float32/{device}", device, $"Training a two-layer MLP on synthetic regression with the reference {spec.Name} gives the loss curve TorchSharp's built-in gives.", "reference vs TorchSharp built-in (training loss curve)", () => Run(spec, ConformanceDevices.Of(device)), torch.ScalarType.Float32, LossCurve);
            }
        }
    }

    /// <summary>Trains once with the reference and once with TorchSharp's built-in and compares the loss curves.</summary>
    /// <param name="spec">The optimizer.</param>
    /// <param name="device">The device.</param>
    /// <returns>The comparison of the two loss curves.</returns>
    public static CaseResult Run(OptimizerSpec spec, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(spec);
        double[] reference = Train(device, ps => spec.CreateReference(ps));
        double[] builtIn = Train(device, ps => spec.CreateTorchSharp(ps)!);
        if (!(reference[^1] < reference[0] * 0.5))
        {
            return CaseResult.Fail($"the reference did not train: loss {reference[0]:G4} → {reference[^1]:G4}");
        }

        CaseResult r = Compare.Close(reference, builtIn, LossCurve, torch.ScalarType.Float32, what: "loss curve");
        return r.Outcome == CaseOutcome.Passed ? r with { Message = $"loss {reference[0]:G4} → {reference[^1]:G4} in {reference.Length} steps" } : r;
    }

    /// <summary>The loss after each of 60 steps.</summary>
    /// <param name="device">The device.</param>
    /// <param name="create">Makes the optimizer over the model's parameters.</param>
    /// <returns>The loss curve.</returns>
    public static double[] Train(torch.Device device, Func<torch.Tensor[], Optimizer> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        torch.random.manual_seed(20240601);
        torch.Tensor x = torch.randn(128, 4).to(device);
        torch.Tensor y = (torch.sin(x.matmul(torch.tensor(new float[] { 1.5f, -2f, 0.5f, 1f }).to(device))) + (0.05f * torch.randn(128).to(device))).unsqueeze(1);
        using var model = torch.nn.Sequential(("fc1", torch.nn.Linear(4, 32)), ("relu", torch.nn.ReLU()), ("fc2", torch.nn.Linear(32, 1)));
        model.to(device);
        Parameter[] ps = model.parameters().ToArray();
        using Optimizer opt = create(ps);
        var losses = new double[60];
        for (int step = 0; step < losses.Length; step++)
        {
            using var scope = torch.NewDisposeScope();
            opt.ZeroGrad();
            torch.Tensor loss = torch.nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            opt.Step();
            losses[step] = loss.item<float>();
        }

        return losses;
    }
}
