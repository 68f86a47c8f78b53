namespace TorchFacade;

/// <summary>
/// An error that PyTorch raises as a Python exception: LibTorch's own errors (which TorchSharp reports as
/// <see cref="System.Runtime.InteropServices.ExternalException"/> with a C++ backtrace) and the checks the facade makes
/// before calling LibTorch where PyTorch would raise. <see cref="PyTorchType"/> is the Python exception PyTorch raises
/// for the same input (<c>RuntimeError</c>, <c>ValueError</c>, <c>IndexError</c>, <c>TypeError</c>,
/// <c>NotImplementedError</c>), <see cref="Exception.Message"/> starts with the facade member and carries PyTorch's
/// first line, and the C++ backtrace, when there is one, is kept apart in <see cref="NativeTrace"/>.
/// </summary>
/// <remarks>
/// It derives from <see cref="InvalidOperationException"/>, so code that caught the facade's earlier
/// <see cref="InvalidOperationException"/>s keeps working. Translate your own TorchSharp calls' errors with
/// <c>ExternalException.ToTorchException()</c>.
/// </remarks>
public sealed class TorchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="pyTorchType">The Python exception PyTorch raises (see <see cref="PyTorchErrorTypes"/>).</param>
    /// <param name="message">The whole message: what was wrong and what to do.</param>
    /// <param name="pyTorchMessage">PyTorch's own first line, or <see langword="null"/> to use <paramref name="message"/>.</param>
    /// <param name="nativeTrace">LibTorch's C++ backtrace (<c>Exception raised from ...</c>), or <see langword="null"/>.</param>
    /// <param name="innerException">The exception this one translates, if any.</param>
    public TorchException(string pyTorchType, string message, string? pyTorchMessage = null, string? nativeTrace = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(pyTorchType);
        PyTorchType = pyTorchType;
        PyTorchMessage = pyTorchMessage ?? message;
        NativeTrace = nativeTrace;
    }

    /// <summary>
    /// The Python exception class PyTorch raises for the same call: <c>RuntimeError</c>, <c>ValueError</c>,
    /// <c>IndexError</c>, <c>TypeError</c> or <c>NotImplementedError</c> (constants in <see cref="PyTorchErrorTypes"/>).
    /// </summary>
    public string PyTorchType { get; }

    /// <summary>PyTorch's (LibTorch's) first-line message alone, without the facade member or advice.</summary>
    public string PyTorchMessage { get; }

    /// <summary>
    /// LibTorch's C++ backtrace (from <c>Exception raised from ...</c> on), kept out of <see cref="Exception.Message"/>;
    /// <see langword="null"/> when the error was found by the facade before LibTorch was called.
    /// </summary>
    public string? NativeTrace { get; }
}
