using TorchFacade.Conformance;

namespace TorchFacade.Cli.Conform;

/// <summary>
/// The hidden worker mode of <c>torchfacade conform</c> (<c>--worker</c>): runs the cases whose ids arrive on standard
/// input, one a line, each with <see cref="CaseRunner.Run"/>, and answers each with a <see cref="WorkerMessage"/> line on
/// standard output. A case that aborts the process ends the worker; the parent (<see cref="IsolatedSuiteRunner"/>)
/// reports it as crashed and starts a fresh worker for the next case.
/// </summary>
internal static class ConformWorker
{
    /// <summary>Serves case ids until standard input ends.</summary>
    /// <param name="cases">Every case the worker may be asked for (the catalog plus any <c>--cases-from</c> cases).</param>
    /// <param name="input">Where the ids come from.</param>
    /// <param name="protocol">Where the result lines go (the real standard output).</param>
    /// <returns>The exit code.</returns>
    public static int Serve(IReadOnlyList<ConformanceCase> cases, TextReader input, TextWriter protocol)
    {
        var byId = cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        while (input.ReadLine() is { } line)
        {
            string id = line.Trim();
            if (id.Length == 0)
            {
                continue;
            }

            CaseResult result = byId.TryGetValue(id, out ConformanceCase? @case)
                ? CaseRunner.Run(@case)
                : CaseResult.Fail($"the worker has no case '{id}' (the parent and the worker read different catalogs)");
            protocol.WriteLine(WorkerMessage.From(id, result).ToLine());
            protocol.Flush();
        }

        return ExitCodes.Success;
    }
}
