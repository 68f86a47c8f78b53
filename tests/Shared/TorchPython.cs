namespace TorchFacade.TestSupport;

/// <summary>Runs /usr/bin/python3 with torch 2.6 (comparisons with PyTorch itself, where it is installed); tests that need it skip with <see cref="Reason"/> when it is absent.</summary>
internal static class TorchPython
{
    private static readonly Lazy<string?> Probe = new(() => PythonProcess.Imports("/usr/bin/python3", "torch, safetensors") ? "/usr/bin/python3" : null);

    public static string? Python => Probe.Value;

    public const string Reason = "Skipped: no /usr/bin/python3 with torch 2.6 and safetensors here (./build.sh golden installs them on Debian 12 as root), so this comparison with PyTorch itself did not run.";

    public static (int ExitCode, string Output) Run(string script, params string[] args) =>
        PythonProcess.Run(Python ?? throw new InvalidOperationException(Reason), ["-c", script, .. args]);
}
