using System.Runtime.InteropServices;

namespace TorchFacade.Conformance.Tests.Fixtures;

/// <summary>
/// Test fixture (never part of the shipped catalog): a case that aborts the process the way a native LibTorch abort does
/// (a message on standard error, then <c>abort()</c>, SIGABRT), between two passing cases. Loaded into
/// <c>torchfacade conform</c> with <c>--cases-from</c> to prove that the runner reports it as crashed and goes on.
/// </summary>
public sealed partial class AbortingCaseSource : ICaseSource
{
    /// <summary>The first line the aborting case writes to standard error.</summary>
    public const string NativeMessage = "terminate called after throwing an instance of 'c10::Error' (fixture: deliberate abort)";

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() =>
    [
        Case("fixture/crash/1-before/cpu", "a case before the abort passes", () => CaseResult.Pass(note: "before")),
        Case("fixture/crash/2-abort/cpu", "this case aborts the process like a native abort", Abort),
        Case("fixture/crash/3-after/cpu", "a case after the abort runs in a fresh worker and passes", () => CaseResult.Pass(note: "after")),
        Case("fixture/crash/4-after-too/cpu", "the fresh worker runs the following cases too", () => CaseResult.Pass(note: "after too")),
    ];

    private static ConformanceCase Case(string id, string claim, Func<CaseResult> run) => new()
    {
        Id = id,
        Group = CaseGroup.Semantics,
        Claim = claim,
        Compares = "test fixture of the crash-proof runner",
        Run = run,
    };

    private static CaseResult Abort()
    {
        Console.Error.WriteLine(NativeMessage);
        Console.Error.Flush();
        if (OperatingSystem.IsWindows())
        {
            Environment.FailFast(NativeMessage);
        }

        LibcAbort();
        return CaseResult.Fail("abort() returned");
    }

    [LibraryImport("libc", EntryPoint = "abort")]
    private static partial void LibcAbort();
}
