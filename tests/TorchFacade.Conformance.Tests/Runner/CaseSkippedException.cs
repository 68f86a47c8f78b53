namespace TorchFacade.Conformance.Tests.Runner;

/// <summary>
/// Thrown by a test to say "this case could not run here"; <see cref="ConformanceTestCase"/> reports it to xunit as
/// skipped with the exception's message as the reason (xunit 2 has no dynamic skip of its own).
/// </summary>
public sealed class CaseSkippedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the case could not run.</param>
    public CaseSkippedException(string reason)
        : base(reason)
    {
    }

    /// <summary>Creates the exception with a generic reason.</summary>
    public CaseSkippedException()
        : base("skipped")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the case could not run.</param>
    /// <param name="inner">The cause.</param>
    public CaseSkippedException(string reason, Exception inner)
        : base(reason, inner)
    {
    }
}
