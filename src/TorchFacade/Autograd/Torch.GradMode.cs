using TorchSharp;

namespace TorchFacade;

public static partial class Torch
{
    /// <summary>
    /// PyTorch's <c>torch.is_grad_enabled()</c>: whether operations on this thread are recorded for autograd (inside a
    /// grad-mode scope, the scope's mode, on whichever thread the scope's async flow runs).
    /// <see langword="false"/> inside <see cref="NoGrad"/> and <see cref="InferenceMode"/>.
    /// </summary>
    public static bool IsGradEnabled
    {
        get
        {
            NativeRuntime.EnsureAvailable();
            return torch.is_grad_enabled();
        }
    }

    /// <summary>
    /// PyTorch's <c>with torch.no_grad():</c> — within <c>using (Torch.NoGrad()) { ... }</c> nothing is recorded:
    /// results do not require grad and have no <c>GradFn</c>, and leaves may be updated in place. Use it for inference
    /// and for hand-written parameter updates (<c>x -= lr * x.grad</c>).
    /// </summary>
    /// <returns>The scope; disposing it restores the previous mode (for the async flow that opened it — see <see cref="GradModeScope"/>).</returns>
    public static GradModeScope NoGrad()
    {
        NativeRuntime.EnsureAvailable();
        return new GradModeScope(nameof(NoGrad), gradEnabled: false, inference: false);
    }

    /// <summary>PyTorch's <c>with torch.enable_grad():</c> — records operations again inside a <see cref="NoGrad"/> block.</summary>
    /// <returns>The scope; disposing it restores the previous mode.</returns>
    public static GradModeScope EnableGrad()
    {
        NativeRuntime.EnsureAvailable();
        return new GradModeScope(nameof(EnableGrad), gradEnabled: true, inference: false);
    }

    /// <summary>
    /// PyTorch's <c>with torch.inference_mode():</c> — like <see cref="NoGrad"/> but stricter and faster: tensors made
    /// inside are inference tensors that can never join a graph later.
    /// </summary>
    /// <returns>The scope; disposing it restores the previous mode.</returns>
    public static GradModeScope InferenceMode()
    {
        NativeRuntime.EnsureAvailable();
        return new GradModeScope(nameof(InferenceMode), gradEnabled: false, inference: true);
    }

    /// <summary>
    /// PyTorch's <c>torch.set_grad_enabled(mode)</c>: switches recording on or off now; disposing the returned scope
    /// switches it back (PyTorch's context-manager form).
    /// </summary>
    /// <param name="enabled">Whether to record operations.</param>
    /// <returns>The scope; disposing it restores the previous mode.</returns>
    public static GradModeScope SetGradEnabled(bool enabled)
    {
        NativeRuntime.EnsureAvailable();
        return new GradModeScope($"SetGradEnabled({(enabled ? "true" : "false")})", gradEnabled: enabled, inference: false);
    }
}
