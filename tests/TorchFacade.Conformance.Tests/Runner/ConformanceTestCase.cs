using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TorchFacade.Conformance.Tests.Runner;

/// <summary>One data row of a <see cref="ConformanceTheoryAttribute"/> theory: an ordinary test case whose <see cref="CaseSkippedException"/> counts as a skip.</summary>
public sealed class ConformanceTestCase : XunitTestCase
{
    /// <summary>For xunit's de-serializer only.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ConformanceTestCase()
    {
    }

    /// <summary>Creates the test case for one data row.</summary>
    /// <param name="diagnosticMessageSink">xunit's diagnostics.</param>
    /// <param name="defaultMethodDisplay">How to name the test.</param>
    /// <param name="defaultMethodDisplayOptions">Naming options.</param>
    /// <param name="testMethod">The theory method.</param>
    /// <param name="testMethodArguments">The data row.</param>
    public ConformanceTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod, object[] testMethodArguments)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod, testMethodArguments)
    {
    }

    /// <inheritdoc />
    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        var bus = new SkipAwareMessageBus(messageBus);
        RunSummary summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        if (bus.Skipped > 0)
        {
            summary.Failed -= bus.Skipped;
            summary.Skipped += bus.Skipped;
        }

        return summary;
    }
}
