namespace TorchFacade;

/// <summary>
/// A grad-mode change that lasts until disposed — the <c>with torch.no_grad():</c> block of PyTorch as a C# <c>using</c>.
/// Created by <see cref="Torch.NoGrad"/>, <see cref="Torch.EnableGrad"/>, <see cref="Torch.InferenceMode"/>,
/// <see cref="Torch.SetGradEnabled(bool)"/> and <see cref="Torch.Autograd.DetectAnomaly(bool)"/>. Disposing restores the
/// mode that was in force when the scope was opened, so scopes nest, and a <c>using</c> restores it also when an
/// exception escapes the block.
/// </summary>
/// <remarks>
/// <para>
/// The mode flows with the async flow that opened the scope, as <see cref="System.Globalization.CultureInfo.CurrentCulture"/>
/// does: LibTorch keeps grad mode (and inference mode) per thread, and the facade sets it on every thread the flow runs
/// on. An <c>await</c> inside the <c>using</c> block that resumes on another thread finds the scope's mode there, and the
/// thread it left gets back the mode it had before. Parallel flows (tasks, threads) do not see each other's scopes. A scope
/// opened inside an <c>async</c> method does not outlive the method for its caller (the caller's flow never saw it).
/// </para>
/// <para>
/// Scopes must be disposed innermost first, in the flow that opened them. Disposing one out of order, or from another
/// flow, throws <see cref="InvalidOperationException"/> and changes no thread's mode; the scope stays open and can be
/// disposed once the scopes opened after it are. Anomaly mode (<see cref="Torch.Autograd.DetectAnomaly(bool)"/>) is
/// process-wide in LibTorch, as in PyTorch: its scope takes part in the ordering but its mode is seen by every thread.
/// </para>
/// </remarks>
public sealed class GradModeScope : IDisposable
{
    private readonly Action? restore;
    private bool disposed;

    /// <summary>A scope that sets grad mode (and inference mode) for the flow.</summary>
    internal GradModeScope(string kind, bool gradEnabled, bool inference)
    {
        Kind = kind;
        Parent = GradModeFlow.Current;
        GradEnabled = gradEnabled;
        Inference = inference || (Parent?.Inference ?? false);
        GradModeFlow.Push(this);
    }

    /// <summary>A scope around a process-wide LibTorch mode (anomaly mode): the flow's grad mode stays what it was.</summary>
    internal GradModeScope(string kind, Action restore)
    {
        Kind = kind;
        Parent = GradModeFlow.Current;
        GradEnabled = Parent?.GradEnabled ?? NativeTensor.IsGradEnabled();
        Inference = Parent?.Inference ?? false;
        this.restore = restore;
        GradModeFlow.Push(this);
    }

    /// <summary>Which scope this is: <c>NoGrad</c>, <c>EnableGrad</c>, <c>InferenceMode</c>, <c>SetGradEnabled(false)</c>/<c>(true)</c> or <c>DetectAnomaly</c>.</summary>
    public string Kind { get; }

    /// <summary>The scope that was innermost in this flow when this one opened, or <see langword="null"/>.</summary>
    internal GradModeScope? Parent { get; }

    /// <summary>The grad mode the flow has while this scope is innermost.</summary>
    internal bool GradEnabled { get; }

    /// <summary>Whether the flow is in inference mode while this scope is innermost.</summary>
    internal bool Inference { get; }

    /// <summary>Restores the mode in force when the scope was opened. A second call does nothing.</summary>
    /// <exception cref="InvalidOperationException">
    /// A scope opened after this one in the same flow is still open (out-of-order disposal), or this scope belongs to another
    /// async flow. Nothing is restored and the scope stays open.
    /// </exception>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        GradModeScope? current = GradModeFlow.Current;
        if (!ReferenceEquals(current, this))
        {
            throw new InvalidOperationException(OrderMessage(current));
        }

        disposed = true;
        restore?.Invoke();
        GradModeFlow.Pop(this);
    }

    private string OrderMessage(GradModeScope? current)
    {
        for (GradModeScope? s = current; s is not null; s = s.Parent)
        {
            if (ReferenceEquals(s, this))
            {
                return $"GradModeScope.Dispose: the {Kind} scope is being disposed out of order: the {current!.Kind} scope opened "
                       + "after it is still open. Dispose scopes innermost first (nest the using blocks). Nothing was restored; "
                       + "every thread keeps its mode.";
            }
        }

        return $"GradModeScope.Dispose: the {Kind} scope belongs to another async flow (it was opened on another thread or task, "
               + "or inside an async method that has returned), so this flow cannot close it. Dispose it in the flow that "
               + "opened it. Nothing was restored; every thread keeps its mode.";
    }
}
