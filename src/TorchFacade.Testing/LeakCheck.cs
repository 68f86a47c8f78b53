using System.Globalization;
using TorchSharp;

namespace TorchFacade.Testing;

/// <summary>
/// Fails a test that leaves native tensors alive. TorchSharp counts, per thread, every tensor created and every
/// tensor disposed (<c>DisposeScopeManager.Statistics</c>); a <see cref="LeakCheck"/> remembers the live count when it
/// starts and <see cref="Verify"/> (or <see cref="Dispose"/>) throws <see cref="TensorLeakException"/> when more tensors
/// are live than at the start — each one holds native memory that only the garbage collector's finalizer would free.
/// </summary>
/// <remarks>
/// <para>Use it around the code under test, in any test framework:</para>
/// <code>
/// using (LeakCheck.Start("training step"))
/// {
///     using var scope = torch.NewDisposeScope();
///     model.forward(x).sum().backward();
/// }   // throws TensorLeakException if a tensor made inside is still live
/// </code>
/// <para>or derive a test class from <see cref="LeakCheckedTest"/> to check every test of the class.</para>
/// <para>The counts are per thread, so start and verify on the thread that runs the code (a check verified on
/// another thread throws <see cref="InvalidOperationException"/> instead of reporting numbers from the wrong
/// thread). Tensors that outlive the check on purpose (a cache filled on first use, a module's parameters made
/// before it) should be created before <see cref="Start"/>.</para>
/// </remarks>
public sealed class LeakCheck : IDisposable
{
    private readonly int threadId;
    private bool verified;

    private LeakCheck(string? label)
    {
        Label = label;
        threadId = Environment.CurrentManagedThreadId;
        LiveAtStart = CurrentLive;
    }

    /// <summary>The name shown in the failure message (what was checked), or <see langword="null"/>.</summary>
    public string? Label { get; }

    /// <summary>How many tensors (and packed sequences) were live on this thread when the check started.</summary>
    public long LiveAtStart { get; }

    /// <summary>How many tensors (and packed sequences) are live on this thread now.</summary>
    /// <exception cref="InvalidOperationException">Read on another thread than the one that started the check.</exception>
    public long Live
    {
        get
        {
            ThrowIfOtherThread();
            return CurrentLive;
        }
    }

    /// <summary>How many more tensors are live now than at the start (negative when the code disposed older ones).</summary>
    /// <exception cref="InvalidOperationException">Read on another thread than the one that started the check.</exception>
    public long Leaked => Live - LiveAtStart;

    private static long CurrentLive => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>Starts counting on the current thread.</summary>
    /// <param name="label">What is checked, for the failure message (e.g. the test's name).</param>
    /// <returns>The check; dispose it (or call <see cref="Verify"/>) when the code under test has run.</returns>
    public static LeakCheck Start(string? label = null) => new(label);

    /// <summary>Runs <paramref name="body"/> and throws if it left tensors alive.</summary>
    /// <param name="body">The code under test.</param>
    /// <param name="label">What is checked, for the failure message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="TensorLeakException"><paramref name="body"/> left more tensors live than there were before it ran.</exception>
    public static void Run(Action body, string? label = null)
    {
        TestingChecks.ThrowIfNull(body, "LeakCheck.Run");
        var check = Start(label);
        body();
        check.Verify();
    }

    /// <summary>Throws when more tensors are live on this thread than when the check started.</summary>
    /// <exception cref="TensorLeakException">Tensors created since <see cref="Start"/> are still live; the message says how many.</exception>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that started the check.</exception>
    public void Verify()
    {
        verified = true;
        long leaked = Leaked;
        if (leaked > 0)
        {
            var stats = DisposeScopeManager.Statistics;
            string what = Label is null ? string.Empty : $" in {Label}";
            throw new TensorLeakException(
                string.Create(CultureInfo.InvariantCulture, $"{leaked} tensor(s) created{what} are still live (live on this thread: {LiveAtStart} before, {LiveAtStart + leaked} after); dispose them, or create them inside a torch.NewDisposeScope(). ") +
                "TorchSharp's counters on this thread: " + stats.ToString().ReplaceLineEndings(" ").Trim(),
                leaked);
        }
    }

    /// <summary>Verifies the check (see <see cref="Verify"/>) unless it was verified already.</summary>
    /// <exception cref="TensorLeakException">Tensors created since <see cref="Start"/> are still live.</exception>
    /// <exception cref="InvalidOperationException">Disposed on another thread than the one that started the check.</exception>
    public void Dispose()
    {
        if (!verified)
        {
            Verify();
        }
    }

    private void ThrowIfOtherThread()
    {
        if (Environment.CurrentManagedThreadId != threadId)
        {
            throw new InvalidOperationException(
                $"LeakCheck{(Label is null ? string.Empty : $" '{Label}'")} was started on thread {threadId} and read on thread {Environment.CurrentManagedThreadId}; TorchSharp counts tensors per thread, so start and verify it on the thread that runs the code (not across an await).");
        }
    }
}
