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

    private const System.Reflection.BindingFlags Hidden = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
    private static readonly System.Reflection.FieldInfo? ModuleHandle = typeof(torch.nn.Module).GetField("handle", Hidden);
    private static readonly System.Reflection.FieldInfo? ModuleParameters = typeof(torch.nn.Module).GetField("_internal_params", Hidden);
    private static readonly System.Reflection.FieldInfo? ModuleBuffers = typeof(torch.nn.Module).GetField("_internal_buffers", Hidden);

    /// <summary>
    /// Throws <see cref="ObjectDisposedException"/> naming the module (and, inside a container, the submodule or the tensor)
    /// when <paramref name="module"/> or anything it holds was disposed, before the module's members would read freed memory
    /// or see an empty module.
    /// </summary>
    /// <remarks>
    /// TorchSharp has two kinds of module. Native ones (<c>Sequential</c>, <c>ReLU</c>, <c>BatchNorm1d</c>) close their
    /// handle on <c>Dispose</c>. Managed ones (<c>Linear</c>, <c>Conv2d</c>, ...) free only their parameters and keep the
    /// handle open; their <c>parameters()</c> then silently skips the freed tensors (and yields nothing). The signal that
    /// catches both is the module's registration tables (<c>_internal_params</c>, <c>_internal_buffers</c>,
    /// and its children's): a disposed module still lists the tensors it registered, and each of them is invalid.
    /// </remarks>
    /// <param name="module">The module.</param>
    /// <param name="member">The facade member being called.</param>
    internal static void ThrowIfDisposed(torch.nn.Module module, string member)
    {
        if (DisposedPart(module, string.Empty) is not { } what)
        {
            return;
        }

        string type = module.GetType().Name;
        throw new ObjectDisposedException(
            type,
            $"{member}: the module {type} has been disposed ({what}), so it can no longer be used. Keep the module alive until its last use, "
            + "and dispose it (or the dispose scope that owns it) only after that.");
    }

    /// <summary>What in <paramref name="module"/> is disposed, in words, or <see langword="null"/> when it is alive.</summary>
    private static string? DisposedPart(torch.nn.Module module, string path)
    {
        string where = path.Length == 0 ? string.Empty : $" of its submodule '{path.TrimEnd('.')}' ({module.GetType().Name})";
        if (ModuleHandle?.GetValue(module) is System.Runtime.InteropServices.SafeHandle { IsClosed: true } or System.Runtime.InteropServices.SafeHandle { IsInvalid: true })
        {
            return path.Length == 0 ? "its native module is freed" : $"its submodule '{path.TrimEnd('.')}' ({module.GetType().Name}) is freed";
        }

        if (ModuleParameters?.GetValue(module) is IEnumerable<(string Name, TorchSharp.Modules.Parameter Tensor)> parameters)
        {
            foreach ((string name, TorchSharp.Modules.Parameter p) in parameters)
            {
                if (p is null || p.IsInvalid)
                {
                    return $"the parameter '{path}{name}'{where} is freed";
                }
            }
        }

        if (ModuleBuffers?.GetValue(module) is IEnumerable<(string Name, (torch.Tensor Tensor, bool Persistent) Value)> buffers)
        {
            foreach ((string name, (torch.Tensor b, bool _)) in buffers)
            {
                if (b is not null && b.IsInvalid)
                {
                    return $"the buffer '{path}{name}'{where} is freed";
                }
            }
        }

        foreach ((string name, torch.nn.Module child) in module.named_children())
        {
            if (child is not null && DisposedPart(child, $"{path}{name}.") is { } part)
            {
                return part;
            }
        }

        return null;
    }
}
