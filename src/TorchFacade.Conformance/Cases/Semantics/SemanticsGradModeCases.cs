using static TorchFacade.Conformance.SemanticsCase;

namespace TorchFacade.Conformance;

/// <summary>Seed claims about torch.no_grad() and its relatives, as C# using-scopes.</summary>
internal sealed class SemanticsGradModeCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() =>
    [
        .. PerDevice("grad-mode", "no-grad-records-nothing", "inside no_grad() results do not require grad and have no grad_fn; recording resumes after", FacadeVsPyTorch, NoGradRecordsNothing),
        .. PerDevice("grad-mode", "nested-scopes-restore", "no_grad / enable_grad / set_grad_enabled nest and restore, also when an exception escapes", FacadeVsPyTorch, NestedRestore),
        .. PerDevice("grad-mode", "inference-mode", "inference_mode() disables recording and restores on exit", FacadeVsPyTorch, Inference),
        .. PerDevice("grad-mode", "dispose-on-other-thread-raises", "a scope opened in another thread's flow and disposed here raises InvalidOperationException and changes no thread's mode (the mode flows with the async flow)", FacadeVsPyTorch, OtherThread),
    ];

    private static CaseResult NoGradRecordsNothing(torch.Device device)
    {
        var x = torch.ones(3, device: device, requires_grad: true);
        torch.Tensor inside;
        bool enabledInside;
        using (Torch.NoGrad())
        {
            enabledInside = Torch.IsGradEnabled;
            inside = x * 2;
        }

        var after = x * 2;
        return All(
            CaseResult.Check(!enabledInside, "grad mode was on inside no_grad"),
            CaseResult.Check(!inside.RequiresGrad && inside.GradFn is null, "a result computed inside no_grad is in the graph"),
            CaseResult.Check(after.RequiresGrad && Torch.IsGradEnabled, "recording did not resume after no_grad"));
    }

    private static CaseResult NestedRestore(torch.Device device)
    {
        var states = new List<bool>();
        try
        {
            using (Torch.NoGrad())
            {
                states.Add(Torch.IsGradEnabled);
                using (Torch.EnableGrad())
                {
                    states.Add(Torch.IsGradEnabled);
                    using (Torch.SetGradEnabled(false))
                    {
                        states.Add(Torch.IsGradEnabled);
                        throw new InvalidDataException("escape");
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            states.Add(Torch.IsGradEnabled);
        }

        return CaseResult.Check(states.SequenceEqual([false, true, false, true]), $"grad mode went [{string.Join(", ", states)}], expected [False, True, False, True]");
    }

    private static CaseResult Inference(torch.Device device)
    {
        var x = torch.ones(2, device: device, requires_grad: true);
        bool recorded;
        using (Torch.InferenceMode())
        {
            recorded = (x * 2).RequiresGrad;
        }

        return CaseResult.Check(!recorded && Torch.IsGradEnabled && !torch.is_inference_mode_enabled(), "inference_mode recorded or did not restore");
    }

    private static CaseResult OtherThread(torch.Device device)
    {
        GradModeScope? scope = null;
        var opener = new Thread(() => scope = Torch.NoGrad());
        opener.Start();
        opener.Join();
        return All(
            CaseResult.Check(Torch.IsGradEnabled, "another thread's no_grad reached this thread"),
            Throws<InvalidOperationException>(() => scope!.Dispose(), "belongs to another async flow"),
            CaseResult.Check(Torch.IsGradEnabled, "the refused dispose changed this thread's mode"));
    }
}
