using System.Diagnostics;
using System.Text;
using TorchFacade.Conformance;

namespace TorchFacade.Cli.Conform;

/// <summary>
/// Runs cases in a worker process (this executable in its hidden <c>conform --worker</c> mode), one worker for many
/// cases: a case that kills the worker (a native abort, a signal) is reported as <see cref="CaseOutcome.Crashed"/> with
/// its exit code or signal and the first line the native code wrote to standard error, and a fresh worker continues
/// with the next case. A case that runs longer than <see cref="CaseTimeout"/> is killed and reported as crashed too.
/// </summary>
/// <param name="workerArguments">Extra arguments for the worker (for example <c>--cases-from</c>).</param>
internal sealed class IsolatedSuiteRunner(IReadOnlyList<string> workerArguments) : IDisposable
{
    /// <summary>How long one case may run before its worker is killed.</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(5);

    private WorkerProcess? _worker;

    /// <summary>How many worker processes were started (1 + the number of crashes, when every case was answered).</summary>
    public int WorkersStarted { get; private set; }

    /// <summary>Runs <paramref name="cases"/> in order, each in the current worker.</summary>
    /// <param name="cases">The cases.</param>
    /// <param name="selection">Which cases these are, in words.</param>
    /// <param name="onCaseDone">Called after each case with its line.</param>
    /// <returns>The report.</returns>
    public ConformanceReport Run(IReadOnlyList<ConformanceCase> cases, string selection, Action<CaseReport>? onCaseDone = null)
    {
        RunEnvironment environment = RunEnvironment.Current();
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var lines = new List<CaseReport>(cases.Count);
        foreach (ConformanceCase @case in cases)
        {
            CaseReport line = CaseReport.From(@case, RunOne(@case));
            lines.Add(line);
            onCaseDone?.Invoke(line);
        }

        Dispose();
        return new ConformanceReport(lines, environment, selection, started, watch.Elapsed);
    }

    /// <summary>Runs one case in the worker, starting one when none is alive.</summary>
    /// <param name="case">The case.</param>
    /// <returns>Its result, or a crashed result when the worker died.</returns>
    public CaseResult RunOne(ConformanceCase @case)
    {
        // Skips need no worker (and must not start one: most CUDA cases are skipped without a GPU).
        if (CaseRunner.SkipReason(@case) is { } reason)
        {
            return CaseResult.Skip(reason);
        }

        var watch = Stopwatch.StartNew();
        _worker ??= StartWorker();
        WorkerProcess worker = _worker;
        int stderrMark = worker.StandardErrorLength;
        try
        {
            worker.Process.StandardInput.WriteLine(@case.Id);
            worker.Process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // The worker died between cases; the next read reports it.
        }

        WorkerMessage? answer = worker.ReadAnswer(@case.Id, CaseTimeout);
        if (answer is not null)
        {
            return answer.ToResult();
        }

        _worker = null;
        string how = worker.Finish(CaseTimeout);
        string native = worker.FirstStandardErrorLineSince(stderrMark);
        worker.Dispose();
        return new CaseResult
        {
            Outcome = CaseOutcome.Crashed,
            Message = $"crashed: the worker process {how}" + (native.Length > 0 ? ": " + native : " (it wrote nothing to standard error)"),
            Elapsed = watch.Elapsed,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_worker is { } w)
        {
            _worker = null;
            try
            {
                w.Process.StandardInput.Close();
                if (!w.Process.WaitForExit(10_000))
                {
                    w.Process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                // already gone
            }

            w.Dispose();
        }
    }

    private WorkerProcess StartWorker()
    {
        var info = WorkerCommand.StartInfo(["conform", "--worker", .. workerArguments]);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.StandardOutputEncoding = Encoding.UTF8;
        info.StandardErrorEncoding = Encoding.UTF8;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start the conformance worker ({info.FileName})");
        WorkersStarted++;
        return new WorkerProcess(process);
    }
}
