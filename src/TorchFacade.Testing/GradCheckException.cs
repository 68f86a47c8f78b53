namespace TorchFacade.Testing;

/// <summary>Thrown by <see cref="GradCheck.Assert(Func{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, double, double, double)"/> when the analytic and numerical Jacobians differ.</summary>
public sealed class GradCheckException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which Jacobian entry differed and by how much.</param>
    public GradCheckException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public GradCheckException()
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    /// <param name="message">What differed.</param>
    /// <param name="innerException">The cause.</param>
    public GradCheckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
