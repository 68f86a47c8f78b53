using TorchSharp;

namespace TorchFacade;

/// <summary>
/// A grad-mode change that lasts until disposed — the <c>with torch.no_grad():</c> block of PyTorch as a C# <c>using</c>.
/// Created by <see cref="Torch.NoGrad"/>, <see cref="Torch.EnableGrad"/>, <see cref="Torch.InferenceMode"/> and
/// <see cref="Torch.SetGradEnabled(bool)"/> (and <see cref="Torch.Autograd.DetectAnomaly(bool)"/>). Disposing restores the mode that was in force when the scope was opened, so
/// scopes nest, and a <c>using</c> restores it also when an exception escapes the block.
/// </summary>
/// <remarks>
/// LibTorch keeps grad mode per thread. A scope must therefore be disposed on the thread that opened it: an
/// <c>await</c> inside the <c>using</c> block may resume on another thread, where restoring would change that
/// thread's mode instead. Such a dispose throws <see cref="InvalidOperationException"/> and changes nothing.
/// Keep <c>await</c> out of grad-mode blocks (open a new scope after the <c>await</c>).
/// </remarks>
public sealed class GradModeScope : IDisposable
{
    private readonly IDisposable? inferenceGuard;
    private readonly bool previousGradEnabled;
    private readonly int threadId;
    private bool disposed;

    internal GradModeScope(string kind, bool gradEnabled, bool inference)
    {
        Kind = kind;
        threadId = Environment.CurrentManagedThreadId;
        previousGradEnabled = NativeTensor.IsGradEnabled();
        if (inference)
        {
            // c10::InferenceMode is an RAII guard in LibTorch; TorchSharp holds it and destroys it on Dispose.
            inferenceGuard = torch.inference_mode(true);
        }
        else
        {
            NativeTensor.SetGradEnabled(gradEnabled);
        }
    }

    /// <summary>A scope around a LibTorch guard object (e.g. anomaly mode) that restores its state on dispose.</summary>
    internal GradModeScope(string kind, IDisposable guard)
    {
        Kind = kind;
        threadId = Environment.CurrentManagedThreadId;
        previousGradEnabled = NativeTensor.IsGradEnabled();
        inferenceGuard = guard;
    }

    /// <summary>Which scope this is: <c>NoGrad</c>, <c>EnableGrad</c>, <c>InferenceMode</c> or <c>SetGradEnabled(false)</c>/<c>(true)</c>.</summary>
    public string Kind { get; }

    /// <summary>Restores the grad mode in force when the scope was opened. A second call does nothing.</summary>
    /// <exception cref="InvalidOperationException">Called on a different thread than the one that opened the scope.</exception>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        int current = Environment.CurrentManagedThreadId;
        if (current != threadId)
        {
            throw new InvalidOperationException(
                $"{Kind} scope opened on thread {threadId} is being disposed on thread {current}. LibTorch's grad mode is per "
                + "thread, so restoring it here would change this thread's mode and leave the other thread's mode changed. "
                + "This usually means an 'await' inside the using block resumed on another thread: keep awaits out of grad-mode "
                + "scopes (open a new scope after the await). Nothing was restored.");
        }

        disposed = true;
        if (inferenceGuard is not null)
        {
            inferenceGuard.Dispose();
        }
        else
        {
            NativeTensor.SetGradEnabled(previousGradEnabled);
        }
    }
}
