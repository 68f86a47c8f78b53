using TorchSharp;

namespace TorchFacade;

public static partial class Torch
{
    /// <summary>
    /// PyTorch's <c>torch.add(input, other, out=out)</c>: writes <c>input + other</c> (broadcast) into <paramref name="out"/>'s
    /// existing storage and returns <paramref name="out"/>, so <c>Torch.Add(x, y, @out: y)</c> keeps <c>y</c>'s memory
    /// as the seed notes show. <paramref name="out"/> may alias <paramref name="input"/> or <paramref name="other"/>.
    /// </summary>
    /// <remarks>
    /// TorchSharp has no <c>out=</c> overloads; this computes the sum into a temporary and copies it into
    /// <paramref name="out"/> (same values and storage identity as PyTorch, one extra allocation). Unlike PyTorch, an
    /// <paramref name="out"/> of the wrong shape is not resized: it is an error.
    /// </remarks>
    /// <param name="input">The first operand.</param>
    /// <param name="other">The second operand.</param>
    /// <param name="out">The destination; its shape must be the broadcast shape of the operands.</param>
    /// <returns><paramref name="out"/>.</returns>
    /// <exception cref="ObjectDisposedException">A tensor was disposed.</exception>
    /// <exception cref="ShapeMismatchException">The operands do not broadcast together, or their broadcast shape is not <paramref name="out"/>'s shape.</exception>
    /// <exception cref="TorchException">
    /// (<c>RuntimeError</c>) An operand requires grad while grad mode is on (PyTorch: out= does not support automatic
    /// differentiation); the operands' result dtype cannot be cast to <paramref name="out"/>'s ("result type Float can't be
    /// cast to the desired output type Long"); the operands are on different devices; or LibTorch rejects the addition.
    /// </exception>
    public static torch.Tensor Add(torch.Tensor input, torch.Tensor other, torch.Tensor @out)
    {
        TensorChecks.ThrowIfDisposed(input, nameof(Add));
        TensorChecks.ThrowIfDisposed(other, nameof(Add));
        TensorChecks.ThrowIfDisposed(@out, nameof(Add));
        long[] a = NativeTensor.ShapeOf(input);
        long[] b = NativeTensor.ShapeOf(other);
        long[] target = NativeTensor.ShapeOf(@out);
        long[] broadcast = ShapeRules.BroadcastShapes(nameof(Add), a, b);
        if (!broadcast.AsSpan().SequenceEqual(target))
        {
            int dim = broadcast.Length != target.Length ? -1 : broadcast.AsSpan().CommonPrefixLength(target);
            throw new ShapeMismatchException(
                $"Add: the result has shape {TensorChecks.Format(broadcast)} but out has shape {TensorChecks.Format(target)}; "
                + "pass an out tensor of the result's shape.",
                target, broadcast, dim);
        }

        if ((NativeTensor.RequiresGradOf(input) || NativeTensor.RequiresGradOf(other) || NativeTensor.RequiresGradOf(@out))
            && torch.is_grad_enabled())
        {
            throw LibTorchErrors.Raise(
                PyTorchErrorTypes.RuntimeError, nameof(Add),
                "add(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.",
                "Use the result of input + other instead, or wrap the call in Torch.NoGrad().");
        }

        return LibTorchErrors.Run(nameof(Add), () =>
        {
            // PyTorch's rule for out=: the operands' result type must be castable to out's dtype (no float into an integer
            // out, no complex into a real one); copy_ alone would truncate silently.
            torch.ScalarType resultType = torch.result_type(input, other);
            torch.ScalarType outType = NativeTensor.DTypeOf(@out);
            if (!torch.can_cast(resultType, outType))
            {
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, nameof(Add),
                    $"result type {InteropElementTypes.CppNameOf(resultType)} can't be cast to the desired output type {InteropElementTypes.CppNameOf(outType)}",
                    "Pass an out tensor of the result's dtype (or a wider one), or convert an operand first.");
            }

            using torch.Tensor sum = torch.add(input, other);
            return @out.copy_(sum);
        });
    }
}
