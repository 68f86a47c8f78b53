using System.Diagnostics;

namespace TorchFacade.TestSupport;

/// <summary>Runs /usr/bin/python3 with torch 2.6 (comparisons with PyTorch itself, where it is installed); tests that need it skip with <see cref="Reason"/> when it is absent.</summary>
internal static class TorchPython
{
    private static readonly Lazy<string?> Probe = new(Find);

    public static string? Python => Probe.Value;

    public const string Reason = "Skipped: no /usr/bin/python3 with torch 2.6 and safetensors here (./build.sh golden installs them on Debian 12 as root), so this comparison with PyTorch itself did not run.";

    public static (int ExitCode, string Output) Run(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Python ?? throw new InvalidOperationException(Reason))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
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

    private static string? Find()
    {
        try
        {
            var info = new ProcessStartInfo("/usr/bin/python3", ["-c", "import torch, safetensors"]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using Process? p = Process.Start(info);
            if (p is null)
            {
                return null;
            }

            p.WaitForExit(60_000);
            return p.HasExited && p.ExitCode == 0 ? "/usr/bin/python3" : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
