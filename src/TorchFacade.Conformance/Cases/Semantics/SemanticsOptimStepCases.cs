using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp.Modules;

namespace TorchFacade.Conformance.Cases.Semantics;

/// <summary>
/// What <c>step()</c> does with null and zero grads (PyTorch 2.x: a null grad skips the parameter and its state; a zero
/// grad is a full update), and how optimizers take the caller's tensors (TorchSharp's <c>new Parameter(t)</c> invalidates
/// <c>t</c>; the facade does not).
/// </summary>
internal sealed class SemanticsOptimStepCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            foreach (bool builtIn in new[] { false, true })
            {
                string which = builtIn ? "builtin" : "reference";
                yield return SemanticsOptimSeedCases.Case($"semantics/optim/null-grad-skipped/{device}/{which}", device,
                    "A parameter whose grad is None is skipped by step(): its value is unchanged, its state is not created and its step count does not advance (Adam).",
                    () => NullGradSkipped(ConformanceDevices.Of(device), builtIn));
                yield return SemanticsOptimSeedCases.Case($"semantics/optim/zero-grad-is-not-none/{device}/{which}", device,
                    "A grad of zeros is not None: Adam's step count advances and momentum still moves the parameter; AdamW still decays it by (1 − lr·wd).",
                    () => ZeroGradUpdates(ConformanceDevices.Of(device), builtIn));
            }

            yield return SemanticsOptimSeedCases.Case($"semantics/optim/torchsharp-parameter-invalidates-tensor/{device}", device,
                "PyTorch: nn.Parameter(t) and the optimizers leave t usable; the facade's optimizers keep the caller's tensor valid, and TorchSharp's new Parameter(t) is checked for the same (a known divergence: it takes over t's handle).",
                () => ParameterInvalidates(ConformanceDevices.Of(device)));
            yield return SemanticsOptimSeedCases.Case($"semantics/optim/facade-keeps-caller-tensor/{device}", device,
                "The facade's optimizers take a plain leaf tensor, leave it valid and update it in place (same storage).",
                () => FacadeKeepsTensor(ConformanceDevices.Of(device)));
            yield return SemanticsOptimSeedCases.Case($"semantics/optim/torchsharp-adamw-default-weight-decay/{device}", device,
                "PyTorch: torch.optim.AdamW's default weight_decay is 1e-2; the facade's AdamW factory and the reference use it, and TorchSharp's torch.optim.AdamW is checked for the same (a known divergence: its default is 0).",
                () => AdamWDefault(ConformanceDevices.Of(device)));
        }
    }

    private static Optimizer Adam(torch.Tensor[] ps, bool builtIn, bool decoupled) => (builtIn, decoupled) switch
    {
        (true, true) => BuiltInOptimizers.AdamW(ps, lr: 0.1),
        (true, false) => BuiltInOptimizers.Adam(ps, lr: 0.1),
        (false, true) => new Reference.Optimizers.AdamW(ps, lr: 0.1),
        _ => new Reference.Optimizers.Adam(ps, lr: 0.1),
    };

    private static CaseResult NullGradSkipped(torch.Device device, bool builtIn)
    {
        torch.Tensor a = torch.ones(3, device: device).requires_grad_(true);
        torch.Tensor b = torch.ones(3, device: device).requires_grad_(true);
        using Optimizer opt = Adam([a, b], builtIn, decoupled: false);
        for (int step = 0; step < 3; step++)
        {
            opt.ZeroGrad();
            (a * a).sum().backward();
            opt.Step();
        }

        if (b.grad is not null)
        {
            return CaseResult.Fail("b got a grad without being used");
        }

        CaseResult unchanged = Compare.Close(b, torch.ones(3), Tolerance.Exact("a skipped parameter is not touched"), what: "b");
        if (unchanged.Outcome != CaseOutcome.Passed)
        {
            return unchanged;
        }

        var state = opt.StateOf(b);
        var stateA = opt.StateOf(a);
        long stepA = (long)Compare.ToDoubles(stateA["step"])[0];
        if (stepA != 3)
        {
            return CaseResult.Fail($"a's step count is {stepA} after three steps");
        }

        // TorchSharp creates zero state for every parameter at construction; PyTorch creates none until the first grad.
        if (!builtIn && state.Count > 0)
        {
            return CaseResult.Fail($"b has state ({string.Join(", ", state.Keys)}) though it never had a grad; PyTorch creates none");
        }

        return state.Count == 0 || (long)Compare.ToDoubles(state.GetValueOrDefault("step") ?? torch.tensor(0f))[0] == 0
            ? CaseResult.Pass(note: builtIn ? "TorchSharp allocates Adam's state at construction (PyTorch at the first step); its step count stays 0" : null)
            : CaseResult.Fail("b's step count advanced although its grad was None");
    }

    private static CaseResult ZeroGradUpdates(torch.Device device, bool builtIn)
    {
        torch.Tensor a = torch.ones(3, device: device).requires_grad_(true);
        using Optimizer adam = Adam([a], builtIn, decoupled: false);
        (a * a).sum().backward();
        adam.Step();
        double afterFirst = Compare.ToDoubles(a)[0];
        using (torch.no_grad())
        {
            a.grad!.zero_();
        }

        adam.Step();
        long step = (long)Compare.ToDoubles(adam.StateOf(a)["step"])[0];
        double afterZero = Compare.ToDoubles(a)[0];
        if (step != 2 || !(afterZero < afterFirst))
        {
            return CaseResult.Fail($"after a zero-grad step Adam's step count is {step} (expected 2) and x went from {afterFirst} to {afterZero} (momentum should keep moving it down)");
        }

        torch.Tensor w = torch.ones(3, device: device).requires_grad_(true);
        using Optimizer adamw = Adam([w], builtIn, decoupled: true);
        w.grad = torch.zeros(3, device: device);
        adamw.Step();
        return Compare.Close(w, torch.full(3, 1 - (0.1 * 0.01)), SemanticsOptimSeedCases.Printed, what: "AdamW with a zero grad: x·(1 − lr·wd)");
    }

    private static CaseResult ParameterInvalidates(torch.Device device)
    {
        torch.Tensor u = torch.ones(3, device: device).requires_grad_(true);
        using Optimizer opt = BuiltInOptimizers.SGD([u], lr: 0.1);
        if (u.IsInvalid)
        {
            return CaseResult.Fail("the facade's optimizer invalidated the caller's tensor");
        }

        torch.Tensor t = torch.ones(3, device: device).requires_grad_(true);
        using var p = new Parameter(t);
        return CaseResult.Check(!t.IsInvalid, "new Parameter(t) invalidated t (TorchSharp takes over its native handle)");
    }

    private static CaseResult FacadeKeepsTensor(torch.Device device)
    {
        torch.Tensor x = torch.ones(2, 2, device: device).requires_grad_(true);
        bool onCpu = device.type == DeviceType.CPU;
        nint address = onCpu ? Address(x) : 0;
        using Optimizer opt = BuiltInOptimizers.SGD([x], lr: 0.1);
        opt.ZeroGrad();
        SemanticsOptimSeedCases.SeedLoss(x).backward();
        opt.Step();
        if (x.IsInvalid || (onCpu && Address(x) != address))
        {
            return CaseResult.Fail("x was invalidated or moved to new storage by the optimizer");
        }

        return Compare.Close(x, torch.full(2, 2, 0.55f), SemanticsOptimSeedCases.Printed, what: "x after step (updated in place)");
    }

    private static unsafe nint Address(torch.Tensor t)
    {
        fixed (byte* p = t.bytes)
        {
            return (nint)p;
        }
    }

    private static CaseResult AdamWDefault(torch.Device device)
    {
        var p = new Parameter(torch.ones(3, device: device));
        using var ts = torch.optim.AdamW([p]);
        p.grad = torch.zeros(3, device: device);
        ts.step();
        CaseResult tsNoDecay = Compare.Close(p, torch.ones(3), Tolerance.Exact("no decay at weight_decay 0"), what: "TorchSharp AdamW with its default weight_decay");
        torch.Tensor x = torch.ones(3, device: device).requires_grad_(true);
        using Optimizer facade = BuiltInOptimizers.AdamW([x]);
        using Optimizer reference = new Reference.Optimizers.AdamW([torch.ones(3, device: device).requires_grad_(true)]);
        x.grad = torch.zeros(3, device: device);
        facade.Step();
        CaseResult decayed = Compare.Close(x, torch.full(3, 1 - (1e-3 * 1e-2)), SemanticsOptimSeedCases.Printed, what: "facade AdamW with PyTorch's default weight_decay 1e-2");
        if (decayed.Outcome != CaseOutcome.Passed)
        {
            return decayed;
        }

        return reference.Defaults["weight_decay"] is not 1e-2
            ? CaseResult.Fail("the reference AdamW's default weight_decay is not 1e-2")
            : CaseResult.Check(tsNoDecay.Outcome != CaseOutcome.Passed, "TorchSharp's torch.optim.AdamW did not decay with its default weight_decay (it is 0, PyTorch's is 1e-2)");
    }
}
