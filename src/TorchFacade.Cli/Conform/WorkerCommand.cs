using System.Diagnostics;

namespace TorchFacade.Cli.Conform;

/// <summary>How to start this executable again (for the conformance worker): directly when it is the <c>torchfacade</c>
/// apphost, else through the <c>dotnet</c> host running <c>TorchFacade.Cli.dll</c> (under <c>dotnet run</c>, the test
/// host, or <c>dotnet TorchFacade.Cli.dll</c>).</summary>
internal static class WorkerCommand
{
    /// <summary>A start description for this executable with <paramref name="arguments"/>.</summary>
    /// <param name="arguments">The command-line arguments.</param>
    /// <returns>The start info (not started).</returns>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        string dll = typeof(WorkerCommand).Assembly.Location;
        string? self = Environment.ProcessPath;
        string selfName = Path.GetFileNameWithoutExtension(self ?? string.Empty);
        ProcessStartInfo info;
        if (self is not null && (selfName.Equals("torchfacade", StringComparison.OrdinalIgnoreCase) || selfName.Equals("TorchFacade.Cli", StringComparison.OrdinalIgnoreCase)))
        {
            info = new ProcessStartInfo(self);
        }
        else
        {
            string host = self is not null && selfName.Equals("dotnet", StringComparison.OrdinalIgnoreCase)
                ? self
                : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromSdk ? fromSdk : "dotnet";
            info = new ProcessStartInfo(host);
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(dll);
        }

        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }
}
