using TorchFacade.Cli;

namespace TorchFacade.Conformance.Tests.Cli;

/// <summary>Runs <see cref="CliApp.Run"/> in-process and captures what it printed.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
