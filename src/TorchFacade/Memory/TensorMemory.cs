using System.Runtime.InteropServices;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade;

/// <summary>
/// PyTorch's memory semantics on TorchSharp's <see cref="Tensor"/>: views that share storage, clones that do not,
/// <c>item()</c>, <c>data_ptr()</c>, storage identity and in-place assignment with broadcasting.
/// </summary>
/// <remarks>
/// Every member checks its arguments before LibTorch sees them: a disposed tensor raises
/// <see cref="ObjectDisposedException"/>, shapes that do not fit raise <see cref="ShapeMismatchException"/> or
/// <see cref="ArgumentException"/>, and a view over an incompatible layout raises <see cref="TensorLayoutException"/>.
/// </remarks>
public static class TensorMemory
{
    extension(Tensor t)
    {
        /// <summary>
        /// PyTorch's <c>x.view(*shape)</c>: the same storage seen with another shape. Writing through the view changes
        /// <c>t</c> and the other way round. One size may be <c>-1</c> and is inferred from the element count.
        /// </summary>
        /// <param name="shape">The new shape; its sizes multiply to <c>t</c>'s element count.</param>
        /// <returns>A view sharing <c>t</c>'s storage (a new <see cref="Tensor"/> object to dispose).</returns>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="ArgumentException">The sizes do not multiply to the element count, or more than one is <c>-1</c>.</exception>
        /// <exception cref="TensorLayoutException">
        /// <c>t</c>'s strides cannot express the new shape without copying (e.g. a transposed matrix viewed as a row);
        /// use <see cref="Reshape"/> (copies when it must) or <c>t.contiguous().View(...)</c>.
        /// </exception>
        public Tensor View(params long[] shape)
        {
            TensorChecks.ThrowIfDisposed(t, nameof(View));
            ArgumentNullException.ThrowIfNull(shape);
            long[] resolved = ShapeRules.Infer(nameof(View), shape, NativeTensor.NumelOf(t));
            if (!NativeTensor.IsContiguousOf(t))
            {
                long[] oldShape = NativeTensor.ShapeOf(t);
                long[] oldStrides = NativeTensor.StridesOf(t);
                if (ShapeRules.ViewStrides(oldShape, oldStrides, resolved) is null)
                {
                    throw new TensorLayoutException(
                        $"View: a tensor of shape {TensorChecks.Format(oldShape)} with strides {TensorChecks.Format(oldStrides)} "
                        + $"cannot be viewed as {TensorChecks.Format(resolved)}: the new shape would need elements that are not "
                        + "evenly spaced in memory (at least one dimension spans two non-adjacent memory chunks). "
                        + "Use Reshape(...) (views when it can, copies when it must) or call Contiguous() first: t.contiguous().View(...).",
                        oldShape, oldStrides, resolved);
                }
            }

            return t.view(resolved);
        }

        /// <summary>
        /// PyTorch's <c>x.reshape(*shape)</c>: a view when the layout allows it, otherwise a contiguous copy.
        /// One size may be <c>-1</c>.
        /// </summary>
        /// <param name="shape">The new shape; its sizes multiply to <c>t</c>'s element count.</param>
        /// <returns>A view of <c>t</c> or a copy (check with <see cref="SharesStorageWith"/> if it matters).</returns>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="ArgumentException">The sizes do not multiply to the element count, or more than one is <c>-1</c>.</exception>
        public Tensor Reshape(params long[] shape)
        {
            TensorChecks.ThrowIfDisposed(t, nameof(Reshape));
            ArgumentNullException.ThrowIfNull(shape);
            return t.reshape(ShapeRules.Infer(nameof(Reshape), shape, NativeTensor.NumelOf(t)));
        }

        /// <summary>
        /// PyTorch's <c>x.clone()</c>: new storage with the same values (and strides). When <c>t</c> requires grad the
        /// clone is part of the graph (<c>CloneBackward0</c>), so gradients flow back to <c>t</c>.
        /// </summary>
        /// <returns>The copy.</returns>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        public Tensor Clone()
        {
            TensorChecks.ThrowIfDisposed(t, nameof(Clone));
            return t.clone();
        }

        /// <summary>
        /// PyTorch's <c>x.item()</c>: the value of a one-element tensor (any number of dimensions, e.g. <c>[]</c> or
        /// <c>[1, 1]</c>), converted to <typeparamref name="T"/> as PyTorch converts (<c>float</c> to <see cref="double"/>
        /// widens; <see cref="double"/> to <see cref="int"/> truncates toward zero, like <c>int(x.item())</c>).
        /// Works on any device (copies the one element to the host).
        /// </summary>
        /// <typeparam name="T">
        /// <see cref="bool"/>, <see cref="byte"/>, <see cref="sbyte"/>, <see cref="short"/>, <see cref="int"/>,
        /// <see cref="long"/>, <see cref="Half"/>, <see cref="float"/>, <see cref="double"/> or <see cref="System.Numerics.Complex"/>.
        /// </typeparam>
        /// <returns>The element.</returns>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="InvalidOperationException"><c>t</c> does not have exactly one element (the message names its shape and count).</exception>
        /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not one of the types above.</exception>
        public T Item<T>() where T : unmanaged
        {
            TensorChecks.ThrowIfDisposed(t, nameof(Item));
            long numel = NativeTensor.NumelOf(t);
            if (numel != 1)
            {
                throw new InvalidOperationException(
                    $"Item: a tensor with {numel} elements (shape {TensorChecks.Format(NativeTensor.ShapeOf(t))}) cannot be converted to one "
                    + $"{typeof(T).Name}; Item needs exactly one element. Reduce it first (e.g. t.sum(), t.mean()), index one element "
                    + "(t[0, 1]), or copy all values with ToArray<T>().");
            }

            torch.ScalarType target = ItemType<T>.ScalarType ?? throw new NotSupportedException(
                $"Item<{typeof(T).Name}>: no LibTorch dtype corresponds to {typeof(T).FullName}. Use bool, byte, sbyte, short, int, "
                + "long, Half, float, double or System.Numerics.Complex.");
            if (t.dtype == target)
            {
                return t.item<T>();
            }

            using Tensor converted = t.to_type(target);
            return converted.item<T>();
        }

        /// <summary>
        /// PyTorch's <c>x.data_ptr()</c>: the address of <c>t</c>'s first element (for a view at an offset, the storage's
        /// address plus the offset). On CUDA it is a device address. 0 for a tensor with no storage (e.g. zero elements).
        /// </summary>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        public long DataPtr
        {
            get
            {
                TensorChecks.ThrowIfDisposed(t, "DataPtr");
                return NativeTensor.DataOf(t);
            }
        }

        /// <summary>
        /// Whether <c>t</c> and <paramref name="other"/> use the same storage — PyTorch's
        /// <c>x.untyped_storage().data_ptr() == y.untyped_storage().data_ptr()</c>. A view at an offset, a transpose, a
        /// <c>Detach()</c>ed tensor all share their source's storage; a <c>Clone()</c> and the result of <c>x + y</c> do not.
        /// Tensors whose storage has no memory (zero elements) share storage only with the same native tensor.
        /// </summary>
        /// <param name="other">The other tensor.</param>
        /// <returns><see langword="true"/> when both read and write the same memory block.</returns>
        /// <exception cref="ObjectDisposedException">Either tensor was disposed.</exception>
        public bool SharesStorageWith(Tensor other)
        {
            TensorChecks.ThrowIfDisposed(t, nameof(SharesStorageWith));
            TensorChecks.ThrowIfDisposed(other, nameof(SharesStorageWith));
            IntPtr mine = NativeTensor.StorageDataOf(t);
            IntPtr theirs = NativeTensor.StorageDataOf(other);
            return mine == IntPtr.Zero || theirs == IntPtr.Zero ? t.Handle == other.Handle : mine == theirs;
        }

        /// <summary>
        /// PyTorch's <c>y[:] = source</c> / <c>y.copy_(source)</c>: writes <paramref name="source"/>'s values into <c>t</c>'s
        /// existing memory, broadcasting <paramref name="source"/> to <c>t</c>'s shape and converting dtype/device.
        /// Every alias of <c>t</c> (views, the same object held elsewhere) sees the new values; the storage does not change.
        /// </summary>
        /// <remarks>
        /// <para><b>The <c>+=</c> trap when porting.</b> In Python, <c>y += x</c> on a tensor is in place (<c>y.add_(x)</c>).
        /// In C#, <c>y += x</c> always compiles to <c>y = y + x</c>: a <em>new</em> tensor with new storage, <c>y</c> re-pointed
        /// to it, and every alias of the old <c>y</c> left with the old values (and the old tensor still to dispose).
        /// C# 14's user-defined compound assignment operators cannot fix this from a facade: declared as extension members
        /// they compile, but the compiler binds <c>y += x</c> to <see cref="Tensor"/>'s own binary <c>operator +</c> first,
        /// so they are never called. Port Python's <c>y += x</c> as <c>y.add_(x)</c>, or <c>y.Assign(y + x)</c>, or
        /// <c>torch.add(y, x, out: y)</c>.</para>
        /// </remarks>
        /// <param name="source">The values; its shape must broadcast to <c>t</c>'s shape.</param>
        /// <returns><c>t</c> itself.</returns>
        /// <exception cref="ObjectDisposedException">Either tensor was disposed.</exception>
        /// <exception cref="ShapeMismatchException"><paramref name="source"/>'s shape does not broadcast to <c>t</c>'s (message names both and the dimension).</exception>
        /// <exception cref="InvalidOperationException"><c>t</c> is a leaf that requires grad and grad mode is on (PyTorch forbids in-place writes to it; wrap in <c>Torch.NoGrad()</c>).</exception>
        public Tensor Assign(Tensor source)
        {
            TensorChecks.ThrowIfDisposed(t, nameof(Assign));
            TensorChecks.ThrowIfDisposed(source, nameof(Assign));
            if (!ReferenceEquals(t, source))
            {
                ThrowIfNotBroadcastable(t, source);
            }

            if (NativeTensor.RequiresGradOf(t) && NativeTensor.IsLeafOf(t) && torch.is_grad_enabled())
            {
                throw new InvalidOperationException(
                    "Assign: a leaf Variable that requires grad is being used in an in-place operation (PyTorch forbids it: the "
                    + "graph would lose the value it saved). Update parameters inside 'using (Torch.NoGrad()) { ... }', or assign "
                    + "to t.Detach() when you mean to change the data only.");
            }

            try
            {
                return t.copy_(source);
            }
            catch (ExternalException ex)
            {
                throw new InvalidOperationException("Assign: LibTorch rejected the copy: " + TensorChecks.FirstLine(ex), ex);
            }
        }
    }

    /// <summary>Throws <see cref="ShapeMismatchException"/> when <paramref name="source"/> cannot broadcast to <paramref name="target"/>'s shape.</summary>
    internal static void ThrowIfNotBroadcastable(Tensor target, Tensor source)
    {
        int targetDims = NativeTensor.DimOf(target);
        int sourceDims = NativeTensor.DimOf(source);
        if (sourceDims <= targetDims && NativeTensor.NumelOf(source) == 1)
        {
            return; // a one-element tensor broadcasts to anything with at least as many dimensions
        }

        long[] targetShape = NativeTensor.ShapeOf(target);
        long[] sourceShape = NativeTensor.ShapeOf(source);
        int dim = ShapeRules.FirstUnbroadcastableDim(sourceShape, targetShape);
        if (dim >= 0)
        {
            throw new ShapeMismatchException(
                $"Assign: a source of shape {TensorChecks.Format(sourceShape)} cannot be broadcast to the target's shape "
                + $"{TensorChecks.Format(targetShape)}: at dimension {dim} (counting from the left of the longer shape, sizes "
                + "aligned from the right) the source size must equal the target size or be 1, and extra leading source sizes "
                + "must be 1. Reshape or index the source so it fits, or Assign into a slice of the target.",
                targetShape, sourceShape, dim);
        }
    }

    /// <summary>The LibTorch dtype matching a .NET element type, computed once per type.</summary>
    private static class ItemType<T>
        where T : unmanaged
    {
        internal static readonly torch.ScalarType? ScalarType = Resolve();

        private static torch.ScalarType? Resolve()
        {
            Type type = typeof(T);
            return type == typeof(float) ? torch.ScalarType.Float32
                : type == typeof(double) ? torch.ScalarType.Float64
                : type == typeof(long) ? torch.ScalarType.Int64
                : type == typeof(int) ? torch.ScalarType.Int32
                : type == typeof(short) ? torch.ScalarType.Int16
                : type == typeof(sbyte) ? torch.ScalarType.Int8
                : type == typeof(byte) ? torch.ScalarType.Byte
                : type == typeof(bool) ? torch.ScalarType.Bool
                : type == typeof(Half) ? torch.ScalarType.Float16
                : type == typeof(System.Numerics.Complex) ? torch.ScalarType.ComplexFloat64
                : null;
        }
    }
}
