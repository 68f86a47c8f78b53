using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace TorchFacade;

/// <summary>
/// Turns LibTorch's errors (TorchSharp's <see cref="ExternalException"/>: <c>c10::Error::what()</c>, the message followed
/// by a C++ backtrace) into <see cref="TorchException"/>s. TorchSharp's native shim catches every <c>c10::Error</c> by its
/// base class, so the C++ kind (<c>c10::IndexError</c>, ...) is gone by the time .NET sees it; it is recovered from the
/// message, using the texts LibTorch raises with <c>TORCH_CHECK_INDEX</c>, <c>TORCH_CHECK_VALUE</c>,
/// <c>TORCH_CHECK_TYPE</c> and <c>TORCH_CHECK_NOT_IMPLEMENTED</c> (checked against PyTorch 2.6's exception classes by
/// the <c>errors</c> conformance group). Everything else is PyTorch's <c>RuntimeError</c>.
/// </summary>
internal static partial class LibTorchErrors
{
    /// <summary>TorchSharp's text for a tensor whose native handle is gone (disposed, or never created).</summary>
    internal const string EmptyHandleMessage = "Tensor invalid -- empty handle.";

    private static readonly (Regex Pattern, string Kind)[] Kinds =
    [
        (IndexPattern(), PyTorchErrorTypes.IndexError),
        (NotImplementedPattern(), PyTorchErrorTypes.NotImplementedError),
        (TypePattern(), PyTorchErrorTypes.TypeError),
        (ValuePattern(), PyTorchErrorTypes.ValueError),
    ];

    /// <summary>Splits LibTorch's text into PyTorch's first line and the rest (detail lines and the C++ backtrace).</summary>
    /// <param name="raw">The text of <c>c10::Error::what()</c>.</param>
    /// <returns>The first line, and the rest or <see langword="null"/> when there is none.</returns>
    internal static (string FirstLine, string? Trace) Split(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return ("LibTorch reported an error without a message.", null);
        }

        string text = raw.TrimStart('\r', '\n');
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            return (text.TrimEnd(), null);
        }

        string rest = text[(newline + 1)..].TrimEnd();
        return (text[..newline].TrimEnd(), rest.Length == 0 ? null : rest);
    }

    /// <summary>PyTorch's Python exception class for a LibTorch first line.</summary>
    /// <param name="firstLine">The first line of the error.</param>
    /// <returns>One of <see cref="PyTorchErrorTypes"/>.</returns>
    internal static string KindOf(string firstLine)
    {
        foreach ((Regex pattern, string kind) in Kinds)
        {
            if (pattern.IsMatch(firstLine))
            {
                return kind;
            }
        }

        return PyTorchErrorTypes.RuntimeError;
    }

    /// <summary>Translates TorchSharp's exception for a LibTorch error raised inside a facade member.</summary>
    /// <param name="ex">TorchSharp's exception.</param>
    /// <param name="member">The facade member (the message starts with it).</param>
    /// <param name="hint">Advice appended after PyTorch's text (start it with a space), or <see langword="null"/>.</param>
    /// <returns>The typed exception, to throw.</returns>
    internal static TorchException Translate(ExternalException ex, string? member, string? hint = null)
    {
        (string first, string? trace) = Split(ex.Message);
        string message = (member is null ? first : member + ": " + first) + hint;
        return new TorchException(KindOf(first), message, first, trace, ex);
    }

    /// <summary>An error the facade finds before calling LibTorch, where PyTorch raises <paramref name="kind"/>.</summary>
    /// <param name="kind">PyTorch's exception class (<see cref="PyTorchErrorTypes"/>).</param>
    /// <param name="member">The facade member (the message starts with it).</param>
    /// <param name="pyTorchMessage">PyTorch's own text for the same input.</param>
    /// <param name="advice">What to do instead (appended after a space), or <see langword="null"/>.</param>
    /// <returns>The exception, to throw.</returns>
    internal static TorchException Raise(string kind, string member, string pyTorchMessage, string? advice = null)
    {
        string separator = pyTorchMessage.EndsWith('.') ? " " : ". ";
        return new TorchException(kind, member + ": " + pyTorchMessage + (advice is null ? string.Empty : separator + advice), pyTorchMessage);
    }

    /// <summary>
    /// Runs a TorchSharp call on behalf of a facade member: LibTorch's errors become <see cref="TorchException"/>, and
    /// TorchSharp's empty-handle error becomes an <see cref="ObjectDisposedException"/> naming the member.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="member">The facade member.</param>
    /// <param name="call">The TorchSharp call.</param>
    /// <returns>The call's result.</returns>
    internal static T Run<T>(string member, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (ExternalException ex)
        {
            throw Translate(ex, member);
        }
        catch (InvalidOperationException ex) when (ex is not TorchException && IsEmptyHandle(ex))
        {
            throw EmptyHandle(member, ex);
        }
    }

    /// <summary>Like <see cref="Run{T}(string, Func{T})"/> for a call without a result.</summary>
    /// <param name="member">The facade member.</param>
    /// <param name="call">The TorchSharp call.</param>
    internal static void Run(string member, Action call)
    {
        try
        {
            call();
        }
        catch (ExternalException ex)
        {
            throw Translate(ex, member);
        }
        catch (InvalidOperationException ex) when (ex is not TorchException && IsEmptyHandle(ex))
        {
            throw EmptyHandle(member, ex);
        }
    }

    /// <summary>Whether <paramref name="ex"/> is TorchSharp's "Tensor invalid -- empty handle." error.</summary>
    /// <param name="ex">An exception.</param>
    /// <returns><see langword="true"/> for the empty-handle error.</returns>
    internal static bool IsEmptyHandle(Exception ex) =>
        ex is InvalidOperationException && ex.Message.StartsWith(EmptyHandleMessage, StringComparison.Ordinal);

    private static ObjectDisposedException EmptyHandle(string member, Exception ex) =>
        new(
            nameof(TorchSharp.torch.Tensor),
            $"{member}: a tensor it was given (or one it reached, such as a gradient) has been disposed, so its native memory is "
            + "gone. Keep every tensor alive until its last use (dispose it afterwards, or move it out of the dispose scope that "
            + $"freed it). TorchSharp said: {ex.Message}");

    [GeneratedRegex(@"^(Dimension out of range|select\(\): index -?\d+ out of range|index out of range in self|index -?\d+ is out of bounds for dimension \d+ with size \d+$|Index put requires|start \(-?\d+\) \+ length \(-?\d+\) exceeds dimension size|Dimension specified as -?\d+ but tensor has no dimensions)")]
    private static partial Regex IndexPattern();

    [GeneratedRegex(@"^(Could not run '|Cannot access storage of |.* is not implemented for the '|The operator '.*' is not currently implemented)")]
    private static partial Regex NotImplementedPattern();

    [GeneratedRegex(@"^(can't convert .* to numpy|Got unsupported ScalarType|expected TensorOptions\(|Cannot interpret '|empty\(\) received an invalid combination of arguments)")]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"^(Padding mode '|Unsupported padding mode|Expected reduction to be one of|Invalid reduction)")]
    private static partial Regex ValuePattern();
}
