using Xunit;
using Xunit.Sdk;

namespace TorchFacade.Conformance.Tests.Runner;

/// <summary>
/// A <see cref="TheoryAttribute"/> whose data rows are <see cref="ConformanceTestCase"/>s: a row that throws
/// <see cref="CaseSkippedException"/> is reported as skipped with its reason instead of failed.
/// </summary>
[XunitTestCaseDiscoverer("TorchFacade.Conformance.Tests.Runner.ConformanceTheoryDiscoverer", "TorchFacade.Conformance.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
}
