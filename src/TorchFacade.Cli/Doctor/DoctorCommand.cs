using System.CommandLine;

namespace TorchFacade.Cli.Doctor;

/// <summary><c>torchfacade doctor</c>: the native runtime this process loads and the known problems, each with its fix.</summary>
internal static class DoctorCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="context">Where to write.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var command = new Command("doctor", "Check the native runtime: TorchSharp and LibTorch versions and files, a system LibTorch shadowing the shipped one, libstdc++'s GLIBCXX level, CUDA, threads; exit code 1 when a problem is found.");
        command.SetAction(_ =>
        {
            string report = NativeDoctor.Diagnose(out IReadOnlyList<string> problems);
            context.Output.Write(report);
            return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
