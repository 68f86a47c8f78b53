namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// A warning PyTorch's scheduler would emit with <c>warnings.warn(..., UserWarning)</c>, e.g. when the scheduler is
/// stepped before the optimizer. Raised by <see cref="LRScheduler.Warning"/>; with no handler it goes to
/// <see cref="System.Diagnostics.Trace.TraceWarning(string)"/>.
/// </summary>
public sealed class LRSchedulerWarningEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="message">PyTorch's warning text.</param>
    public LRSchedulerWarningEventArgs(string message)
    {
        TensorChecks.ThrowIfNull(message, "LRSchedulerWarningEventArgs");
        Message = message;
    }

    /// <summary>PyTorch's warning text, verbatim.</summary>
    public string Message { get; }

    /// <summary>PyTorch's warning category: always <c>UserWarning</c>.</summary>
    public string Category => "UserWarning";
}
