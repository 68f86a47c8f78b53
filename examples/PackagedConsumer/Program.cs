// A program outside the repository's build, using the TorchFacade packages from a NuGet feed.
using TorchFacade;
using TorchFacade.Conformance;
using TorchFacade.Testing;
using TorchSharp;

try
{
    NativeRuntime.EnsureAvailable();
}
catch (NativeRuntimeUnavailableException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 3;
}

Console.WriteLine($"CUDA available: {Torch.Cuda.IsAvailable}" + (Torch.Cuda.UnavailableReason is { } why ? $" ({why})" : string.Empty));
Console.WriteLine($"device: {Torch.Device("CPU")}");

// The testing package: assert_close and gradcheck on a small float64 function, inside a leak check.
using (LeakCheck.Start("testing helpers"))
{
    using var scope = torch.NewDisposeScope();
    var x = torch.tensor(new[] { -1.5, 0.0, 2.0 }, torch.ScalarType.Float64).requires_grad_(true);
    AssertClose.Check(x.sigmoid(), 1 / (1 + (-x).exp()));
    GradCheckResult check = GradCheck.Assert(t => t.sigmoid(), x);
    Console.WriteLine($"gradcheck: {check.Entries} Jacobian entries, max abs error {check.MaxAbsError:G3}");
}

// Run part of the packaged conformance catalog and write its report next to the program.
IReadOnlyList<ConformanceCase> cases = Catalog.Select(filter: "semantics/", device: "cpu");
ConformanceReport report = SuiteRunner.Run(cases, "semantics cases on the CPU, from the packaged catalog");
foreach (GroupSummary group in report.Groups)
{
    Console.WriteLine($"{group.Name}: {group.Passed} passed, {group.Failed} failed, {group.Skipped} skipped");
}

string folder = Path.Combine(AppContext.BaseDirectory, "conformance");
IReadOnlyList<string> files = ReportFiles.Write(report, folder);
Console.WriteLine($"report: {string.Join(", ", files)}");
return report.HasFailures ? 1 : 0;
