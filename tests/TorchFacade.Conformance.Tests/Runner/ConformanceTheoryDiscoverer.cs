using Xunit.Abstractions;
using Xunit.Sdk;

namespace TorchFacade.Conformance.Tests.Runner;

/// <summary>Discovers a <see cref="ConformanceTheoryAttribute"/> theory as one <see cref="ConformanceTestCase"/> per data row.</summary>
/// <param name="diagnosticMessageSink">xunit's diagnostics.</param>
public sealed class ConformanceTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow) =>
    [
        new ConformanceTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, dataRow),
    ];
}
