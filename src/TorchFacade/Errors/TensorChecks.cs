using System.Runtime.CompilerServices;
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

    /// <summary>
    /// Throws <see cref="ArgumentNullException"/> for a null argument, with a message that names the member and the
    /// argument (and no ".NET" <c>(Parameter '...')</c> suffix: <see cref="ArgumentException.ParamName"/> is left unset).
    /// </summary>
    /// <param name="value">The argument.</param>
    /// <param name="member">The facade member being called.</param>
    /// <param name="name">The argument's expression.</param>
    internal static void ThrowIfNull([System.Diagnostics.CodeAnalysis.NotNull] object? value, string member, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value is null)
        {
            throw new ArgumentNullException(null, $"{member}: '{name}' is null; pass a value.");
        }
    }

    /// <summary>
    /// Throws <see cref="TorchException"/> when <paramref name="t"/> has no storage (sparse, nested and other non-strided
    /// layouts), before a storage accessor without a C++ <c>try</c> aborts the process.
    /// </summary>
    /// <param name="t">A live tensor.</param>
    /// <param name="member">The facade member being called.</param>
    /// <param name="storage"><see langword="true"/> when the member reads the storage object (PyTorch's <c>untyped_storage()</c>:
    /// <c>NotImplementedError</c>), <see langword="false"/> when it reads the data pointer (<c>RuntimeError</c>).</param>
    /// <param name="name">The argument's expression.</param>
    internal static void ThrowIfNoStorage(torch.Tensor t, string member, bool storage = false, [CallerArgumentExpression(nameof(t))] string? name = null)
    {
        if (NativeTensor.StorageErrorOf(t) is not { } error)
        {
            return;
        }

        string layout = NativeTensor.IsSparseOf(t) ? "sparse (COO)" : "non-strided";
        string advice = $"The tensor '{name}' has a {layout} layout, which has no single memory block. Convert it first with to_dense().";
        throw storage
            ? LibTorchErrors.Raise(PyTorchErrorTypes.NotImplementedError, member, $"Cannot access storage of {(NativeTensor.IsSparseOf(t) ? "SparseTensorImpl" : "a tensor without storage")}", advice)
            : LibTorchErrors.Raise(PyTorchErrorTypes.RuntimeError, member, LibTorchErrors.Split(error).FirstLine, advice);
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

    /// <summary>The first line of a LibTorch error (the rest is a C++ backtrace). Prefer <c>LibTorchErrors.Translate</c>, which also gives the PyTorch kind.</summary>
    /// <param name="ex">The exception TorchSharp raised.</param>
    /// <returns>The first line.</returns>
    internal static string FirstLine(System.Runtime.InteropServices.ExternalException ex) => LibTorchErrors.Split(ex.Message).FirstLine;

    private static readonly System.Reflection.FieldInfo? ModuleHandle =
        typeof(torch.nn.Module).GetField("handle", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);

    /// <summary>
    /// Throws <see cref="ObjectDisposedException"/> naming the module's type when <paramref name="module"/> was disposed
    /// (TorchSharp keeps its native module in a non-public handle; a disposed one would fail with an empty-handle error).
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="member">The facade member being called.</param>
    internal static void ThrowIfDisposed(torch.nn.Module module, string member)
    {
        bool disposed = ModuleHandle?.GetValue(module) is System.Runtime.InteropServices.SafeHandle { IsClosed: true } or System.Runtime.InteropServices.SafeHandle { IsInvalid: true };

        // TorchSharp's managed modules (Linear, ...) free their parameters on Dispose without closing the handle.
        disposed = disposed || module.parameters().Any(p => p.IsInvalid);
        if (disposed)
        {
            throw new ObjectDisposedException(
                module.GetType().Name,
                $"{member}: the module {module.GetType().Name} has been disposed (its parameters and native module are freed), so it can no longer be used. Keep it alive until its last use.");
        }
    }
}
