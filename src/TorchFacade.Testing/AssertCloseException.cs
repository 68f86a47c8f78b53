namespace TorchFacade.Testing;

/// <summary>Thrown by <see cref="AssertClose.Check"/> when two tensors are not close (the message says where and by how much).</summary>
public sealed class AssertCloseException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What differed.</param>
    public AssertCloseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public AssertCloseException()
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    /// <param name="message">What differed.</param>
    /// <param name="innerException">The cause.</param>
    public AssertCloseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
