using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TorchFacade.Cli.Conform;

/// <summary>One worker process with its standard error collected in the background.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly StringBuilder _stderr = new();

    public WorkerProcess(Process process)
    {
        Process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Append(e.Data).Append('\n');
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public int StandardErrorLength
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.Length;
            }
        }
    }

    /// <summary>Reads standard output until the answer for <paramref name="id"/>; <see langword="null"/> when the worker ends or times out.</summary>
    public WorkerMessage? ReadAnswer(string id, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task<string?> read = Process.StandardOutput.ReadLineAsync();
            TimeSpan left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero || !read.Wait(left))
            {
                TimedOut = true;
                return null;
            }

            if (read.Result is not { } line)
            {
                return null;
            }

            if (WorkerMessage.Parse(line) is { } message && message.Id == id)
            {
                return message;
            }
        }
    }

    public bool TimedOut { get; private set; }

    /// <summary>Waits for (or forces) the end of the process and says how it ended.</summary>
    public string Finish(TimeSpan timeout)
    {
        if (TimedOut)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
            return string.Create(CultureInfo.InvariantCulture, $"ran past the {timeout.TotalSeconds:0} s limit and was killed");
        }

        if (!Process.WaitForExit(30_000))
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
            return "closed its output and did not exit (killed)";
        }

        Process.WaitForExit(); // drains the asynchronous standard error reader
        return Describe(Process.ExitCode);
    }

    public string FirstStandardErrorLineSince(int mark)
    {
        string text;
        lock (_stderr)
        {
            text = _stderr.ToString(Math.Min(mark, _stderr.Length), _stderr.Length - Math.Min(mark, _stderr.Length));
        }

        return text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;
    }

    public void Dispose() => Process.Dispose();

    private static string Describe(int exitCode)
    {
        // .NET reports a process killed by signal N as exit code 128 + N on Unix.
        if (!OperatingSystem.IsWindows() && exitCode > 128 && exitCode < 128 + 65)
        {
            int signal = exitCode - 128;
            return string.Create(CultureInfo.InvariantCulture, $"was killed by signal {signal} ({SignalName(signal)})");
        }

        return string.Create(CultureInfo.InvariantCulture, $"exited with code {exitCode}");
    }

    private static string SignalName(int signal) => signal switch
    {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "signal " + signal.ToString(CultureInfo.InvariantCulture),
    };
}
