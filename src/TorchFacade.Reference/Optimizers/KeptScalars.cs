using System.Numerics;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// Explicit LibTorch scalars for the optimizers' tensor ops, kept alive until the step that uses them ends. TorchSharp
/// 0.107 converts a <see cref="double"/> argument (<c>alpha</c>, <c>value</c>, a scalar operand) into a
/// <see cref="Scalar"/> that nothing references once its handle is read, so a garbage collection on another thread can
/// run its finalizer, which frees the native <c>c10::Scalar</c>, while LibTorch still reads it (<c>ExternalException:
/// Expected false to be true</c>, or another value). <see cref="S(double)"/> makes the scalar explicitly and holds it
/// on this thread until the innermost <see cref="Open"/> scope is disposed, which then frees it (no finalizer is left to
/// run). The same holds for a <see cref="double"/> that TorchSharp turns into a 0-d tensor where an op takes a tensor
/// (<c>lerp_</c>'s weight): <see cref="Weight(double)"/>. The scope is separate from TorchSharp's dispose scopes, so
/// tensors a closure creates are not affected.
/// </summary>
internal sealed class KeptScalars : IDisposable
{
    [ThreadStatic]
    private static List<IDisposable>? held;

    [ThreadStatic]
    private static int depth;

    /// <summary>
    /// The integer 1 as a <see cref="Scalar"/> that lives as long as the process: pass it as the <c>alpha</c>/<c>value</c>
    /// of <c>add</c>, <c>add_</c> and <c>addcdiv_</c>, whose shorter TorchSharp overloads make an implicit 1 of their own.
    /// </summary>
    public static readonly Scalar One = 1.ToScalar();

    private readonly int mark;
    private bool disposed;

    private KeptScalars()
    {
        held ??= [];
        mark = held.Count;
        depth++;
    }

    /// <summary>Opens a scope on this thread: scalars made by <see cref="S(double)"/> until it is disposed stay alive until then.</summary>
    /// <returns>The scope (dispose it on the same thread, innermost first).</returns>
    public static KeptScalars Open() => new();

    /// <summary><paramref name="value"/> as a <see cref="Scalar"/> held by the innermost open scope.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The scalar, alive until the scope is disposed.</returns>
    /// <exception cref="InvalidOperationException">No scope is open on this thread (a bug in the caller: every step opens one).</exception>
    public static Scalar S(double value) => Hold(value.ToScalar());

    /// <summary><paramref name="value"/> as a complex <see cref="Scalar"/> held by the innermost open scope.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The scalar, alive until the scope is disposed.</returns>
    /// <exception cref="InvalidOperationException">No scope is open on this thread.</exception>
    public static Scalar S(Complex value) => Hold(value.ToScalar());

    /// <summary>
    /// <paramref name="value"/> as the 0-d float64 tensor TorchSharp's implicit conversion makes (the weight of
    /// <c>lerp_</c>, which has no <see cref="Scalar"/> overload in TorchSharp), held by the innermost open scope.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The tensor, alive until the scope is disposed.</returns>
    /// <exception cref="InvalidOperationException">No scope is open on this thread.</exception>
    public static torch.Tensor Weight(double value) => Hold(torch.tensor(value));

    /// <summary>Frees the scalars made since this scope was opened.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        depth--;
        List<IDisposable> list = held!;
        for (int i = list.Count - 1; i >= mark; i--)
        {
            list[i].Dispose();
        }

        list.RemoveRange(mark, list.Count - mark);
    }

    private static T Hold<T>(T scalar)
        where T : IDisposable
    {
        if (depth == 0)
        {
            scalar.Dispose();
            throw new InvalidOperationException("KeptScalars.S needs an open KeptScalars.Open() scope on this thread to keep the scalar alive until LibTorch is done with it; open one around the tensor ops.");
        }

        held!.Add(scalar);
        return scalar;
    }
}
