namespace TorchFacade.Testing;

/// <summary>Thrown by <see cref="LeakCheck"/> when code left native tensors alive (the message says how many).</summary>
public sealed class TensorLeakException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What leaked.</param>
    /// <param name="leaked">How many tensors are live beyond those at the start of the check.</param>
    public TensorLeakException(string message, long leaked)
        : base(message)
    {
        Leaked = leaked;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What leaked.</param>
    public TensorLeakException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public TensorLeakException()
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    /// <param name="message">What leaked.</param>
    /// <param name="innerException">The cause.</param>
    public TensorLeakException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How many tensors were live beyond those at the start of the check (0 when not given).</summary>
    public long Leaked { get; }
}
