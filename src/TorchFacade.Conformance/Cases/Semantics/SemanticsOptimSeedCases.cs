using TorchFacade.Optim;

namespace TorchFacade.Conformance.Cases.Semantics;

/// <summary>
/// The seed notes' optimizer snippets: <c>optim.SGD([x], lr=0.1)</c> with <c>zero_grad</c>/<c>backward</c>/<c>step</c>
/// (x = 0.55 everywhere), and the five momentum epochs with their printed gradients and parameters.
/// </summary>
internal sealed class SemanticsOptimSeedCases : ICaseSource
{
    /// <summary>The seed prints PyTorch's float32 values with 7 significant digits (4 for the 0.5500 tensor print).</summary>
    public static readonly Tolerance Printed = new(1e-6, 1e-7, "PyTorch's float32 values as the seed prints them, 7 significant digits");

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            yield return Case($"semantics/optim/sgd-one-step-gives-0.55/{device}", device,
                "optimizer = optim.SGD([x], lr=0.1); zero_grad(); mean(3(x+2)²).backward(); x.grad = 4.5; step() gives x = 0.55 everywhere.",
                () => OneStep(ConformanceDevices.Of(device)));
            yield return Case($"semantics/optim/momentum-five-epochs/{device}", device,
                "SGD(lr=0.1, momentum=0.9), five epochs of zero_grad/backward/step: grads 4.5, 3.825, 2.64375, 1.184063, -0.3072656; x 0.55, -0.2375, -1.210625, -2.204844, -3.068914.",
                () => FiveEpochs(ConformanceDevices.Of(device)));
            yield return Case($"semantics/optim/lr-change-applies-to-whole-buffer/{device}", device,
                "Erratum 10: with momentum, a new lr scales the whole buffer: SGD(lr=0.1, momentum=0.9), then lr=0.01 via ParamGroups, gives x₂ = 0.47125 (the classic v ← γv + ηg form gives 0.10675).",
                () => LrChange(ConformanceDevices.Of(device)));
        }
    }

    /// <summary>mean(3(x+2)²) for the seed's x.</summary>
    /// <param name="x">The parameter.</param>
    /// <returns>The loss.</returns>
    internal static torch.Tensor SeedLoss(torch.Tensor x)
    {
        torch.Tensor y = x + 2;
        return (y * y * 3).mean();
    }

    internal static ConformanceCase Case(string id, string device, string claim, Func<CaseResult> run) => CaseKit.Make(CaseGroup.Semantics, id, device, claim, "facade vs PyTorch-documented behaviour", run, torch.ScalarType.Float32, Printed);

    private static CaseResult OneStep(torch.Device device)
    {
        torch.Tensor x = torch.ones(2, 2, device: device).requires_grad_(true);
        using Optimizer optimizer = BuiltInOptimizers.SGD([x], lr: 0.1);
        optimizer.ZeroGrad();
        SeedLoss(x).backward();
        CaseResult grad = Compare.Close(x.grad!, torch.full(2, 2, 4.5f), Printed, what: "x.grad");
        if (grad.Outcome != CaseOutcome.Passed)
        {
            return grad;
        }

        optimizer.Step();
        return Compare.Close(x, torch.full(2, 2, 0.55f), Printed, what: "x after step()");
    }

    private static CaseResult FiveEpochs(torch.Device device)
    {
        double[] grads = [4.5, 3.825, 2.64375, 1.184063, -0.3072656];
        double[] xs = [0.55, -0.2375, -1.210625, -2.204844, -3.068914];
        torch.Tensor x = torch.ones(2, 2, device: device).requires_grad_(true);
        using Optimizer optimizer = BuiltInOptimizers.SGD([x], lr: 0.1, momentum: 0.9);
        CaseResult last = CaseResult.Pass();
        for (int epoch = 0; epoch < 5; epoch++)
        {
            optimizer.ZeroGrad();
            SeedLoss(x).backward();
            last = Compare.Close(Compare.ToDoubles(x.grad!), Enumerable.Repeat(grads[epoch], 4).ToArray(), Printed, torch.ScalarType.Float32, what: $"x.grad in epoch {epoch + 1}");
            if (last.Outcome != CaseOutcome.Passed)
            {
                return last;
            }

            optimizer.Step();
            last = Compare.Close(Compare.ToDoubles(x), Enumerable.Repeat(xs[epoch], 4).ToArray(), Printed, torch.ScalarType.Float32, what: $"x after epoch {epoch + 1}");
            if (last.Outcome != CaseOutcome.Passed)
            {
                return last;
            }
        }

        return last;
    }

    private static CaseResult LrChange(torch.Device device)
    {
        torch.Tensor x = torch.ones(4, dtype: torch.ScalarType.Float64, device: device).requires_grad_(true);
        using Optimizer optimizer = BuiltInOptimizers.SGD([x], lr: 0.1, momentum: 0.9);
        for (int step = 0; step < 2; step++)
        {
            optimizer.ZeroGrad();
            SeedLoss(x).backward();
            optimizer.Step();
            optimizer.ParamGroups[0].Lr = 0.01;
        }

        return Compare.Close(Compare.ToDoubles(x), [0.47125, 0.47125, 0.47125, 0.47125], new Tolerance(1e-12, 1e-14, "float64, exact decimal arithmetic up to rounding"), torch.ScalarType.Float64, what: "x after two steps");
    }
}
