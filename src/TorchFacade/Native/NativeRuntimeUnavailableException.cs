namespace TorchFacade;

/// <summary>
/// Thrown when LibTorch's native runtime (TorchSharp's <c>libLibTorchSharp</c> and LibTorch itself) cannot be
/// loaded. The message says why (for example a libstdc++ without <c>GLIBCXX_3.4.32</c>, or no
/// <c>libtorch-cpu-*</c> runtime package referenced) and what to run to fix it.
/// </summary>
public sealed class NativeRuntimeUnavailableException : Exception
{
    /// <summary>Creates the exception with an explanation and the underlying load failure.</summary>
    /// <param name="message">What is missing and what to run.</param>
    /// <param name="innerException">The original failure reported by the runtime, if any.</param>
    public NativeRuntimeUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
