namespace TorchFacade;

/// <summary>
/// PyTorch's <c>torch.utils.hooks.RemovableHandle</c>, returned by <c>RegisterHook</c> and
/// <c>RegisterPostAccumulateGradHook</c>: <see cref="Remove"/> (or <see cref="Dispose"/>, so a <c>using</c> scopes a hook)
/// unregisters the hook. Removing twice does nothing.
/// </summary>
public sealed class RemovableHandle : IDisposable
{
    private static long nextId;
    private Action? remove;

    internal RemovableHandle(Action remove)
    {
        this.remove = remove;
        Id = Interlocked.Increment(ref nextId);
    }

    /// <summary>PyTorch's <c>handle.id</c>: a number unique to this registration.</summary>
    public long Id { get; }

    /// <summary>PyTorch's <c>handle.remove()</c>: the hook is not called again.</summary>
    public void Remove() => Interlocked.Exchange(ref remove, null)?.Invoke();

    /// <summary>Same as <see cref="Remove"/>.</summary>
    public void Dispose() => Remove();
}
