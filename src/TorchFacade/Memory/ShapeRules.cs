namespace TorchFacade;

/// <summary>
/// PyTorch's shape rules, in managed code so the facade can reject bad shapes before LibTorch sees them:
/// <c>-1</c> inference (<c>infer_size</c>), view stride computation (<c>at::detail::computeStride</c>) and broadcasting.
/// </summary>
internal static class ShapeRules
{
    /// <summary>
    /// Checks <paramref name="shape"/> against <paramref name="numel"/> like PyTorch's <c>infer_size</c>, without allocating:
    /// at most one <c>-1</c>, no other negative size, and the sizes multiply to the element count.
    /// </summary>
    /// <param name="member">The facade member (for messages).</param>
    /// <param name="shape">The requested shape.</param>
    /// <param name="numel">The tensor's element count.</param>
    /// <param name="inferredSize">The size the <c>-1</c> stands for (0 when there is none).</param>
    /// <returns>The index of the <c>-1</c>, or -1 when there is none.</returns>
    /// <exception cref="ArgumentException">More than one <c>-1</c>, a negative size, or an element-count mismatch.</exception>
    internal static int CheckElementCount(string member, long[] shape, long numel, out long inferredSize)
    {
        long product = 1;
        int inferred = -1;
        for (int i = 0; i < shape.Length; i++)
        {
            long size = shape[i];
            if (size == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException(
                        $"{member}: only one dimension can be inferred (-1), but shape {TensorChecks.Format(shape)} has more.");
                }

                inferred = i;
            }
            else if (size < 0)
            {
                throw new ArgumentException($"{member}: invalid size {size} in shape {TensorChecks.Format(shape)}; sizes are >= 0, or -1 to infer one.");
            }
            else
            {
                product *= size;
            }
        }

        if (inferred >= 0 ? product == 0 || numel % product != 0 : product != numel)
        {
            throw Invalid(member, shape, numel);
        }

        inferredSize = inferred >= 0 ? numel / product : 0;
        return inferred;
    }

    /// <summary>The shape with its <c>-1</c> replaced by the inferred size (a copy when there is one).</summary>
    /// <param name="shape">The requested shape.</param>
    /// <param name="inferred">The index of the <c>-1</c>, or -1.</param>
    /// <param name="inferredSize">The size it stands for.</param>
    /// <returns>The resolved shape.</returns>
    internal static long[] Resolve(long[] shape, int inferred, long inferredSize)
    {
        if (inferred < 0)
        {
            return shape;
        }

        long[] resolved = (long[])shape.Clone();
        resolved[inferred] = inferredSize;
        return resolved;
    }

    private static ArgumentException Invalid(string member, long[] shape, long numel) =>
        new($"{member}: shape '{TensorChecks.Format(shape)}' is invalid for input of size {numel} "
            + "(the sizes must multiply to the element count; use -1 for one size to infer it).");

    /// <summary>
    /// The strides a view of shape <paramref name="newShape"/> would have over a tensor with <paramref name="oldShape"/> and
    /// <paramref name="oldStrides"/>, or <see langword="null"/> when no view is possible (LibTorch's <c>computeStride</c>).
    /// </summary>
    internal static long[]? ViewStrides(long[] oldShape, long[] oldStrides, long[] newShape)
    {
        var newStrides = new long[newShape.Length];
        if (oldShape.Length == 0)
        {
            Array.Fill(newStrides, 1L);
            return newStrides;
        }

        long numel = 1;
        foreach (long size in oldShape)
        {
            numel *= size;
        }

        if (numel == 0)
        {
            if (oldShape.AsSpan().SequenceEqual(newShape))
            {
                return (long[])oldStrides.Clone();
            }

            for (int d = newShape.Length - 1; d >= 0; d--)
            {
                newStrides[d] = d == newShape.Length - 1 ? 1 : Math.Max(newShape[d + 1], 1) * newStrides[d + 1];
            }

            return newStrides;
        }

        int viewD = newShape.Length - 1;
        long chunkBaseStride = oldStrides[^1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int tensorD = oldShape.Length - 1; tensorD >= 0; tensorD--)
        {
            tensorNumel *= oldShape[tensorD];
            if (tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
                {
                    newStrides[viewD] = viewNumel * chunkBaseStride;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }

                if (viewNumel != tensorNumel)
                {
                    return null;
                }

                if (tensorD > 0)
                {
                    chunkBaseStride = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }

        return viewD == -1 ? newStrides : null;
    }

    /// <summary>
    /// The dimension at which <paramref name="source"/> cannot be broadcast to <paramref name="target"/> (one-directional,
    /// as in <c>copy_</c> / <c>expand</c>: sizes aligned from the right must match or be 1 in the source, extra leading
    /// source sizes must be 1), numbered within the longer of the two shapes; -1 when it can.
    /// </summary>
    internal static int FirstUnbroadcastableDim(ReadOnlySpan<long> source, ReadOnlySpan<long> target)
    {
        int extra = source.Length - target.Length;
        for (int i = 0; i < extra; i++)
        {
            if (source[i] != 1)
            {
                return i;
            }
        }

        for (int t = target.Length - 1; t >= 0; t--)
        {
            int s = t - target.Length + source.Length;
            if (s < 0)
            {
                break;
            }

            if (source[s] != target[t] && source[s] != 1)
            {
                return extra > 0 ? s : t;
            }
        }

        return -1;
    }

    /// <summary>PyTorch's broadcast shape of two operands (sizes aligned from the right must match or be 1).</summary>
    /// <param name="member">The facade member (for messages).</param>
    /// <param name="a">The first shape.</param>
    /// <param name="b">The second shape.</param>
    /// <returns>The broadcast shape.</returns>
    /// <exception cref="ShapeMismatchException">The shapes do not broadcast; the message names both and the dimension.</exception>
    internal static long[] BroadcastShapes(string member, long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (int i = rank - 1; i >= 0; i--)
        {
            int ia = i - rank + a.Length;
            int ib = i - rank + b.Length;
            long sa = ia >= 0 ? a[ia] : 1;
            long sb = ib >= 0 ? b[ib] : 1;
            if (sa != sb && sa != 1 && sb != 1)
            {
                throw new ShapeMismatchException(
                    $"{member}: the size of tensor a ({sa}) must match the size of tensor b ({sb}) at non-singleton dimension {i} "
                    + $"(shapes {TensorChecks.Format(a)} and {TensorChecks.Format(b)}, aligned from the right). Broadcasting needs "
                    + "each pair of sizes to be equal or one of them to be 1; reshape one operand (e.g. add a size-1 dimension with unsqueeze).",
                    a, b, i);
            }

            result[i] = sa == 1 ? sb : sa;
        }

        return result;
    }
}
