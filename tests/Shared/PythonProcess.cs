using System.Diagnostics;

namespace TorchFacade.TestSupport;

/// <summary>Runs a Python interpreter as a child process (the comparisons with NumPy and PyTorch themselves).</summary>
internal static class PythonProcess
{
    /// <summary>Runs <paramref name="python"/> with <paramref name="args"/> and waits up to two minutes.</summary>
    /// <param name="python">The interpreter.</param>
    /// <param name="args">Its arguments.</param>
    /// <returns>The exit code and standard output followed by standard error.</returns>
    public static (int ExitCode, string Output) Run(string python, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process p = Process.Start(info)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit(120_000);
        return (p.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Whether <paramref name="python"/> exists and can run <c>import <paramref name="modules"/></c>.</summary>
    /// <param name="python">The interpreter (a path or a name on PATH).</param>
    /// <param name="modules">Comma-separated module names, e.g. <c>torch, safetensors</c>.</param>
    /// <returns>True when the import succeeds within a minute.</returns>
    public static bool Imports(string python, string modules)
    {
        try
        {
            var info = new ProcessStartInfo(python, ["-c", $"import {modules}"]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using Process? p = Process.Start(info);
            if (p is null)
            {
                return false;
            }

            p.WaitForExit(60_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed under that name
        }
    }
}
