using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade;

/// <summary>Checks shared by every facade member: disposed tensors, and LibTorch errors turned into typed exceptions.</summary>
internal static class TensorChecks
{
    /// <summary>Throws <see cref="ObjectDisposedException"/> (or <see cref="ArgumentNullException"/>) before a disposed tensor reaches LibTorch.</summary>
    /// <param name="t">The tensor.</param>
    /// <param name="member">The facade member being called.</param>
    /// <param name="name">The argument's expression.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ThrowIfDisposed(torch.Tensor t, string member, [CallerArgumentExpression(nameof(t))] string? name = null)
    {
        if (t is null || t.IsInvalid)
        {
            Throw(t, member, name);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(torch.Tensor? t, string member, string? name)
    {
        if (t is null)
        {
            throw new ArgumentNullException(name, $"{member}: the tensor '{name}' is null.");
        }

        throw new ObjectDisposedException(
            nameof(torch.Tensor),
            $"{member}: the tensor '{name}' has been disposed (its native memory is freed), so it can no longer be used. "
            + "Keep it alive until you are done with it: dispose it after its last use, or move it out of the dispose scope "
            + "that freed it (MoveToOuterDisposeScope / DetachFromDisposeScope).");
    }

    /// <summary>Formats a shape the way PyTorch prints sizes: <c>[2, 3]</c>.</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The text.</returns>
    internal static string Format(ReadOnlySpan<long> shape)
    {
        var text = new System.Text.StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(shape[i]);
        }

        return text.Append(']').ToString();
    }

    /// <summary>The first line of a LibTorch error (the rest is a C++ backtrace).</summary>
    /// <param name="ex">The exception TorchSharp raised.</param>
    /// <returns>The first line.</returns>
    internal static string FirstLine(ExternalException ex)
    {
        string message = ex.Message;
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).TrimEnd();
    }
}
