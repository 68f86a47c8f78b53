using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace TorchFacade;

/// <summary>
/// Exceptions thrown by user hooks while LibTorch runs a backward pass. A .NET exception must never unwind through
/// LibTorch's C++ frames (that aborts the process), so the unmanaged callback catches it, stores it here and lets the
/// pass go on with the gradient unchanged; the facade's <c>Backward</c>/<c>Grad</c> rethrow it (with its original stack
/// trace) as soon as LibTorch returns.
/// </summary>
internal static class HookErrors
{
    private static readonly ConcurrentQueue<ExceptionDispatchInfo> Pending = new();

    /// <summary>Stores an exception thrown by a hook.</summary>
    internal static void Add(Exception exception) => Pending.Enqueue(ExceptionDispatchInfo.Capture(exception));

    /// <summary>Rethrows the first stored exception (dropping any later ones, as PyTorch stops at the first), if any.</summary>
    internal static void ThrowPending()
    {
        if (Pending.IsEmpty)
        {
            return;
        }

        ExceptionDispatchInfo? first = null;
        while (Pending.TryDequeue(out ExceptionDispatchInfo? info))
        {
            first ??= info;
        }

        first?.Throw();
    }
}
