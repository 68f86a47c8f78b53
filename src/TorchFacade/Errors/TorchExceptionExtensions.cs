using System.Runtime.InteropServices;

namespace TorchFacade;

/// <summary>Translates LibTorch errors from your own TorchSharp calls into the facade's error model.</summary>
public static class TorchExceptionExtensions
{
    extension(ExternalException exception)
    {
        /// <summary>
        /// The <see cref="TorchException"/> PyTorch's error corresponds to: <see cref="TorchException.PyTorchType"/> is
        /// the Python exception PyTorch raises (<c>c10::IndexError</c> → <c>IndexError</c>, <c>c10::ValueError</c> →
        /// <c>ValueError</c>, <c>c10::TypeError</c> → <c>TypeError</c>, <c>c10::NotImplementedError</c> →
        /// <c>NotImplementedError</c>, anything else <c>RuntimeError</c>), <see cref="Exception.Message"/> is PyTorch's
        /// first line, and the rest of LibTorch's text (the <c>Exception raised from ...</c> C++ backtrace) is in
        /// <see cref="TorchException.NativeTrace"/>. The original exception is the inner exception.
        /// </summary>
        /// <example><code>
        /// try { var y = torch.ones(2, 3) + torch.ones(4); }
        /// catch (ExternalException ex) { throw ex.ToTorchException(); } // RuntimeError: The size of tensor a (3) must match ...
        /// </code></example>
        /// <returns>The translated exception (not thrown).</returns>
        /// <exception cref="ArgumentNullException">The exception is <see langword="null"/>.</exception>
        public TorchException ToTorchException()
        {
            ArgumentNullException.ThrowIfNull(exception);
            return LibTorchErrors.Translate(exception, member: null);
        }
    }
}
