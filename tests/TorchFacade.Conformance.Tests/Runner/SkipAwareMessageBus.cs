using Xunit.Abstractions;
using Xunit.Sdk;

namespace TorchFacade.Conformance.Tests.Runner;

/// <summary>Passes every message on, except that a test failed by <see cref="CaseSkippedException"/> is reported as skipped.</summary>
/// <param name="inner">The runner's bus (not owned).</param>
internal sealed class SkipAwareMessageBus(IMessageBus inner) : IMessageBus
{
    private static readonly string SkipExceptionName = typeof(CaseSkippedException).FullName!;

    /// <summary>How many failures were turned into skips.</summary>
    public int Skipped { get; private set; }

    /// <inheritdoc />
    public bool QueueMessage(IMessageSinkMessage message)
    {
        if (message is ITestFailed failed && failed.ExceptionTypes.Length > 0 && failed.ExceptionTypes[0] == SkipExceptionName)
        {
            Skipped++;
            return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.Length > 0 ? failed.Messages[0] : "skipped"));
        }

        return inner.QueueMessage(message);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The inner bus belongs to the runner that passed it in.
    }
}
