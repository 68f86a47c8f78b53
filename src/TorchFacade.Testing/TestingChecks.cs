using System.Runtime.CompilerServices;
using TorchSharp;

namespace TorchFacade.Testing;

/// <summary>
/// The argument checks of this package's helpers, worded as the facade's own: the first line names the helper and the
/// argument, and no .NET <c>(Parameter '...')</c> suffix is appended (<see cref="ArgumentException.ParamName"/> is left unset).
/// </summary>
internal static class TestingChecks
{
    /// <summary>Throws <see cref="ArgumentNullException"/> for a null argument.</summary>
    /// <param name="value">The argument.</param>
    /// <param name="member">The helper being called.</param>
    /// <param name="name">The argument's expression.</param>
    internal static void ThrowIfNull([System.Diagnostics.CodeAnalysis.NotNull] object? value, string member, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value is null)
        {
            throw new ArgumentNullException(null, $"{member}: '{name}' is null; pass a value.");
        }
    }

    /// <summary>Throws <see cref="ArgumentNullException"/> for a null tensor and <see cref="ObjectDisposedException"/> for a disposed one.</summary>
    /// <param name="t">The tensor.</param>
    /// <param name="member">The helper being called.</param>
    /// <param name="name">The argument's expression.</param>
    internal static void ThrowIfNullOrDisposed([System.Diagnostics.CodeAnalysis.NotNull] torch.Tensor? t, string member, [CallerArgumentExpression(nameof(t))] string? name = null)
    {
        ThrowIfNull(t, member, name);
        if (t.IsInvalid)
        {
            throw new ObjectDisposedException(
                nameof(torch.Tensor),
                $"{member}: the tensor '{name}' has been disposed (its native memory is freed), so it can no longer be used. Keep it alive until the check returns.");
        }
    }
}
