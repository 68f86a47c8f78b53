using TorchFacade.Optim;
using TorchSharp.Modules;

namespace TorchFacade.Conformance.Cases.Semantics;

/// <summary>
/// <c>zero_grad</c> and gradient accumulation as the seed describes them ("grads accumulate, zero them before backward:
/// <c>optimizer.zero_grad()</c> or <c>x.grad.data.zero_()</c>") and as PyTorch 2.x defines them (grads become None),
/// including TorchSharp's divergence (its <c>zero_grad()</c> fills zeros).
/// </summary>
internal sealed class SemanticsOptimZeroGradCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            yield return SemanticsOptimSeedCases.Case($"semantics/optim/grads-accumulate-without-zeroing/{device}", device,
                "backward() accumulates into .grad: two backward passes without zeroing give x.grad = 9.0 (2 × 4.5).",
                () => Accumulate(ConformanceDevices.Of(device)));
            yield return SemanticsOptimSeedCases.Case($"semantics/optim/zero-grad-sets-none/{device}", device,
                "optimizer.zero_grad() (PyTorch 2.x default set_to_none=True) leaves x.grad = None; the next backward gives 4.5 again.",
                () => ZeroGradNone(ConformanceDevices.Of(device)));
            yield return SemanticsOptimSeedCases.Case($"semantics/optim/zero-grad-set-to-none-false-fills-zeros/{device}", device,
                "zero_grad(set_to_none=False) keeps the grad tensors and fills them with zeros.",
                () => ZeroGradZeros(ConformanceDevices.Of(device)));
            yield return SemanticsOptimSeedCases.Case($"semantics/optim/grad-data-zero/{device}", device,
                "x.grad.data.zero_() (the seed's second form) zeroes the grad in place: it stays a tensor of zeros, and the next backward gives 4.5.",
                () => GradDataZero(ConformanceDevices.Of(device)));
            yield return SemanticsOptimSeedCases.Case($"semantics/optim/torchsharp-zero-grad-fills-zeros/{device}", device,
                "PyTorch 2.x: optimizer.zero_grad() sets the grads to None, and so does the facade's ZeroGrad(); TorchSharp's own optimizer.zero_grad() is checked for the same (a known divergence: it fills zeros).",
                () => TorchSharpZeroGrad(ConformanceDevices.Of(device)));
        }
    }

    private static CaseResult Accumulate(torch.Device device)
    {
        torch.Tensor x = torch.ones(2, 2, device: device).requires_grad_(true);
        SemanticsOptimSeedCases.SeedLoss(x).backward();
        SemanticsOptimSeedCases.SeedLoss(x).backward();
        return Compare.Close(x.grad!, torch.full(2, 2, 9f), SemanticsOptimSeedCases.Printed, what: "x.grad after two backward passes");
    }

    private static CaseResult ZeroGradNone(torch.Device device)
    {
        torch.Tensor x = torch.ones(2, 2, device: device).requires_grad_(true);
        using Optimizer optimizer = BuiltInOptimizers.SGD([x], lr: 0.1);
        SemanticsOptimSeedCases.SeedLoss(x).backward();
        optimizer.ZeroGrad();
        if (x.grad is not null)
        {
            return CaseResult.Fail("x.grad is a tensor after ZeroGrad(); PyTorch 2.x sets it to None");
        }

        SemanticsOptimSeedCases.SeedLoss(x).backward();
        return Compare.Close(x.grad!, torch.full(2, 2, 4.5f), SemanticsOptimSeedCases.Printed, what: "x.grad after ZeroGrad and backward");
    }

    private static CaseResult ZeroGradZeros(torch.Device device)
    {
        torch.Tensor x = torch.ones(2, 2, device: device).requires_grad_(true);
        using Optimizer optimizer = BuiltInOptimizers.SGD([x], lr: 0.1);
        SemanticsOptimSeedCases.SeedLoss(x).backward();
        optimizer.ZeroGrad(setToNone: false);
        return x.grad is null
            ? CaseResult.Fail("x.grad is None after ZeroGrad(setToNone: false); it should be a tensor of zeros")
            : Compare.Close(x.grad, torch.zeros(2, 2), Tolerance.Exact("zeros"), what: "x.grad");
    }

    private static CaseResult GradDataZero(torch.Device device)
    {
        torch.Tensor x = torch.ones(2, 2, device: device).requires_grad_(true);
        SemanticsOptimSeedCases.SeedLoss(x).backward();
        torch.Tensor grad = x.grad!;
        grad.zero_();
        CaseResult zero = Compare.Close(x.grad!, torch.zeros(2, 2), Tolerance.Exact("zeros"), what: "x.grad after grad.zero_()");
        if (zero.Outcome != CaseOutcome.Passed)
        {
            return zero;
        }

        SemanticsOptimSeedCases.SeedLoss(x).backward();
        return Compare.Close(x.grad!, torch.full(2, 2, 4.5f), SemanticsOptimSeedCases.Printed, what: "x.grad after zero_() and backward");
    }

    private static CaseResult TorchSharpZeroGrad(torch.Device device)
    {
        var p = new Parameter(torch.ones(2, 2, device: device));
        using var optimizer = torch.optim.SGD([p], 0.1);
        SemanticsOptimSeedCases.SeedLoss(p).backward();
        optimizer.zero_grad();
        torch.Tensor x = torch.ones(2, 2, device: device).requires_grad_(true);
        using Optimizer facade = BuiltInOptimizers.SGD([x], lr: 0.1);
        SemanticsOptimSeedCases.SeedLoss(x).backward();
        facade.ZeroGrad();
        if (x.grad is not null)
        {
            return CaseResult.Fail("the facade's ZeroGrad() left a tensor");
        }

        return CaseResult.Check(p.grad is null, $"TorchSharp's zero_grad() left a grad tensor (values {string.Join(", ", p.grad is null ? [] : Compare.ToDoubles(p.grad))}) where PyTorch 2.x sets None");
    }
}
