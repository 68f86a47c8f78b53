using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace TorchFacade;

/// <summary>
/// Exceptions thrown by user hooks and custom functions while LibTorch runs a backward pass. A .NET exception must
/// never unwind through LibTorch's C++ frames (that aborts the process), so the unmanaged callback catches it, stores it
/// here and lets LibTorch go on (or stop); the facade's <c>Backward</c>/<c>Grad</c> rethrow it (with its original stack
/// trace) as soon as LibTorch returns.
/// </summary>
/// <remarks>
/// A pass started by the facade runs its CPU nodes on the calling thread: while <see cref="Capture"/> is open there,
/// errors raised on that thread stay with it, so concurrent passes on other threads never see each other's errors.
/// Errors raised on other threads (LibTorch's device threads, or a pass started through TorchSharp directly) go to a
/// shared queue that the next facade pass rethrows.
/// </remarks>
internal static class HookErrors
{
    private static readonly ConcurrentQueue<ExceptionDispatchInfo> Shared = new();

    [ThreadStatic]
    private static Queue<ExceptionDispatchInfo>? local;

    [ThreadStatic]
    private static int depth;

    /// <summary>Marks this thread as running a facade backward pass until the returned scope is disposed.</summary>
    internal static CaptureScope Capture()
    {
        depth++;
        return default;
    }

    /// <summary>Stores an exception thrown by a hook or a custom function's backward.</summary>
    internal static void Add(Exception exception)
    {
        var info = ExceptionDispatchInfo.Capture(exception);
        if (depth > 0)
        {
            (local ??= new Queue<ExceptionDispatchInfo>()).Enqueue(info);
        }
        else
        {
            Shared.Enqueue(info);
        }
    }

    /// <summary>Rethrows the first stored exception (dropping any later ones, as PyTorch stops at the first), if any.</summary>
    internal static void ThrowPending()
    {
        ExceptionDispatchInfo? first = null;
        if (local is { Count: > 0 } mine)
        {
            first = mine.Dequeue();
            mine.Clear();
        }

        while (!Shared.IsEmpty && Shared.TryDequeue(out ExceptionDispatchInfo? info))
        {
            first ??= info;
        }

        first?.Throw();
    }

    /// <summary>The scope <see cref="Capture"/> opens.</summary>
    internal readonly struct CaptureScope : IDisposable
    {
        /// <summary>Closes the scope.</summary>
        public void Dispose() => depth--;
    }
}
