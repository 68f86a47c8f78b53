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
            TensorChecks.ThrowIfNull(shape, nameof(View));
            int inferred = ShapeRules.CheckElementCount(nameof(View), shape, NativeTensor.NumelOf(t), out long inferredSize);
            if (!NativeTensor.IsContiguousOf(t))
            {
                long[] resolved = ShapeRules.Resolve(shape, inferred, inferredSize);
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

            return LibTorchErrors.Run(nameof(View), () => t.view(shape));
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
            TensorChecks.ThrowIfNull(shape, nameof(Reshape));
            ShapeRules.CheckElementCount(nameof(Reshape), shape, NativeTensor.NumelOf(t), out _);
            return LibTorchErrors.Run(nameof(Reshape), () => t.reshape(shape));
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
            return LibTorchErrors.Run(nameof(Clone), () => t.clone());
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
        /// <exception cref="OverflowException"><typeparamref name="T"/> is an integer type and the value is NaN, infinite or out of its range (Python: <c>int(nan)</c> raises).</exception>
        /// <exception cref="InvalidCastException"><c>t</c> is complex and <typeparamref name="T"/> is not <see cref="System.Numerics.Complex"/> (the imaginary part would be lost).</exception>
        /// <exception cref="TorchException"><c>t</c> is a meta tensor (no values) or has no storage (sparse).</exception>
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
            torch.ScalarType source = NativeTensor.DTypeOf(t);
            TensorChecks.ThrowIfNoStorage(t, nameof(Item));
            if (NativeTensor.DeviceTypeOf(t) == DeviceType.META)
            {
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, nameof(Item), "Tensor.item() cannot be called on meta tensors",
                    "A meta tensor has a shape and dtype but no values; compute on a real device (cpu, cuda) to read one.");
            }

            if (source == target)
            {
                return LibTorchErrors.Run(nameof(Item), () => t.item<T>());
            }

            if (source is torch.ScalarType.ComplexFloat32 or torch.ScalarType.ComplexFloat64 && target != torch.ScalarType.ComplexFloat64)
            {
                throw new InvalidCastException(
                    $"Item<{typeof(T).Name}>: the tensor is complex ({t.dtype}), and converting its value to {typeof(T).Name} would drop "
                    + "the imaginary part (Python: float(z) raises TypeError for a complex z). Ask for Item<System.Numerics.Complex>(), "
                    + "or take t.real / t.imag first.");
            }

            if (ItemType<T>.IsInteger && source != torch.ScalarType.Bool)
            {
                return ItemType<T>.FromInteger(IntegerItem(t, source, typeof(T).Name));
            }

            return LibTorchErrors.Run(nameof(Item), () =>
            {
                using Tensor converted = t.to_type(target);
                return converted.item<T>();
            });
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
                TensorChecks.ThrowIfNoStorage(t, "DataPtr");
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
            TensorChecks.ThrowIfNoStorage(t, nameof(SharesStorageWith), storage: true);
            TensorChecks.ThrowIfNoStorage(other, nameof(SharesStorageWith), storage: true);
            IntPtr mine = NativeTensor.StorageDataOf(t);
            IntPtr theirs = NativeTensor.StorageDataOf(other);
            return mine == IntPtr.Zero || theirs == IntPtr.Zero ? t.Handle == other.Handle : mine == theirs;
        }

        /// <summary>
        /// PyTorch's <c>y[:] = source</c> / <c>y.copy_(source)</c>: writes <paramref name="source"/>'s values into <c>t</c>'s
        /// existing memory, broadcasting <paramref name="source"/> to <c>t</c>'s shape and converting dtype/device.
        /// As with Python's <c>y[:] = source</c>, extra leading size-1 dimensions of the source are dropped.
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

            if (NativeTensor.RequiresGradOf(t) && NativeTensor.IsLeafOf(t) && NativeTensor.IsGradEnabled())
            {
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, nameof(Assign), "a leaf Variable that requires grad is being used in an in-place operation.",
                    "(PyTorch forbids it: the graph would lose the value it saved.) Update parameters inside 'using (Torch.NoGrad()) { ... }', or assign "
                    + "to t.Detach() when you mean to change the data only.");
            }

            // Python's y[:] = source drops the source's extra leading size-1 dimensions (copy_ alone would reject them).
            int extra = NativeTensor.DimOf(source) - NativeTensor.DimOf(t);
            Tensor? trimmed = extra > 0 ? source.view(NativeTensor.ShapeOf(source)[extra..]) : null;
            try
            {
                return t.copy_(trimmed ?? source);
            }
            catch (ExternalException ex)
            {
                throw LibTorchErrors.Translate(ex, nameof(Assign));
            }
            finally
            {
                trimmed?.Dispose();
            }
        }
    }

    /// <summary>Throws <see cref="ShapeMismatchException"/> when <paramref name="source"/> cannot broadcast to <paramref name="target"/>'s shape.</summary>
    internal static void ThrowIfNotBroadcastable(Tensor target, Tensor source)
    {
        if (NativeTensor.BroadcastsTo(source, target))
        {
            return;
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

    /// <summary>
    /// The one element of an integer-or-floating tensor as a whole number, truncated toward zero like Python's
    /// <c>int(x.item())</c>; NaN and infinities raise (Python: "cannot convert float NaN to integer").
    /// </summary>
    private static long IntegerItem(Tensor t, torch.ScalarType source, string target)
    {
        if (source is torch.ScalarType.Float16 or torch.ScalarType.BFloat16 or torch.ScalarType.Float32 or torch.ScalarType.Float64)
        {
            double value = LibTorchErrors.Run(nameof(Item), () =>
            {
                using Tensor asDouble = t.to_type(torch.ScalarType.Float64);
                return asDouble.item<double>();
            });
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                throw new OverflowException(
                    $"Item<{target}>: cannot convert float {(double.IsNaN(value) ? "NaN" : value > 0 ? "infinity" : "-infinity")} to integer "
                    + $"(Python raises the same for int(x.item())). Check the value first (double.IsFinite(t.Item<double>())).");
            }

            double truncated = Math.Truncate(value);
            if (truncated < -9.2233720368547758E18 || truncated >= 9.2233720368547758E18)
            {
                throw OutOfRange(target, value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }

            return (long)truncated;
        }

        return LibTorchErrors.Run(nameof(Item), () =>
        {
            using Tensor asLong = t.to_type(torch.ScalarType.Int64);
            return asLong.item<long>();
        });
    }

    private static OverflowException OutOfRange(string target, string value) =>
        new($"Item<{target}>: the value {value} is outside the range of {target}, so converting it would wrap around. "
            + "Ask for a wider type (Item<long>() or Item<double>()).");

    /// <summary>The LibTorch dtype matching a .NET element type, computed once per type.</summary>
    private static class ItemType<T>
        where T : unmanaged
    {
        internal static readonly torch.ScalarType? ScalarType = Resolve();

        /// <summary>Whether <typeparamref name="T"/> is one of the integer types (conversions to it are range-checked).</summary>
        internal static readonly bool IsInteger =
            typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) || typeof(T) == typeof(sbyte) || typeof(T) == typeof(byte);

        /// <summary>Converts a whole number to <typeparamref name="T"/>, raising when it does not fit.</summary>
        internal static T FromInteger(long value)
        {
            try
            {
                object boxed = typeof(T) == typeof(long) ? (object)value
                    : typeof(T) == typeof(int) ? (object)checked((int)value)
                    : typeof(T) == typeof(short) ? (object)checked((short)value)
                    : typeof(T) == typeof(sbyte) ? (object)checked((sbyte)value)
                    : (object)checked((byte)value);
                return (T)boxed;
            }
            catch (OverflowException)
            {
                throw OutOfRange(typeof(T).Name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

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
