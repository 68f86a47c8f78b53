using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Layers;

/// <summary>
/// PyTorch's <c>F.pad(input, pad, mode, value)</c> written from scratch: <c>pad</c> lists (before, after) pairs
/// starting from the <b>last</b> dimension and moving forward — <c>(left, right)</c>, then <c>(top, bottom)</c>, then
/// <c>(front, back)</c>. Negative entries crop. Each padded dimension is built with an index gather, so autograd works.
/// </summary>
public static class Pad
{
    /// <summary>The shape <c>F.pad</c> returns, after checking the arguments the way PyTorch does.</summary>
    /// <param name="inputShape">The input's shape.</param>
    /// <param name="pad">The pad tuple (even length, at most twice the rank).</param>
    /// <param name="mode">The padding mode.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentException">The pad tuple or the input's rank does not fit the mode (see <see cref="PadMode"/>).</exception>
    public static long[] OutputShape(IReadOnlyList<long> inputShape, IReadOnlyList<long> pad, PadMode mode = PadMode.Constant)
    {
        _ = inputShape ?? throw new ArgumentNullException(null, "Pad: 'inputShape' is null; pass a value.");
        _ = pad ?? throw new ArgumentNullException(null, "Pad: 'pad' is null; pass a value.");
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(null, mode, "Pad: Use constant, reflect, replicate or circular.");
        }

        if (pad.Count % 2 != 0)
        {
            throw new ArgumentException($"Pad: The pad tuple must have an even length (pairs of before/after), got {pad.Count} entries.");
        }

        int rank = inputShape.Count;
        int padded = pad.Count / 2;
        if (padded > rank)
        {
            throw new ArgumentException($"Pad: The pad tuple pads {padded} dimensions but the input has only {rank}; use at most {2 * rank} entries.");
        }

        if (mode != PadMode.Constant)
        {
            if (padded is < 1 or > 3 || (rank != padded + 1 && rank != padded + 2))
            {
                throw new ArgumentException($"Pad: {mode} padding pads the last 1, 2 or 3 dimensions of a (batched) input with 1 or 2 leading dimensions " +
                    $"(2D/3D, 3D/4D or 4D/5D); got a {rank}D input with {padded} padded dimensions. Use constant padding for other shapes.");
            }
        }

        long[] output = [.. inputShape];
        for (int k = 0; k < padded; k++)
        {
            int dim = rank - 1 - k;
            long before = pad[2 * k], after = pad[(2 * k) + 1], size = inputShape[dim];
            if (mode == PadMode.Reflect && (before >= size || after >= size))
            {
                throw new ArgumentException($"Pad: Reflect padding ({before}, {after}) must be smaller than the size {size} of dimension {dim}.");
            }

            if (mode == PadMode.Circular && (before > size || after > size))
            {
                throw new ArgumentException($"Pad: Circular padding ({before}, {after}) must not exceed the size {size} of dimension {dim}.");
            }

            if (mode == PadMode.Replicate && size == 0 && before + after > 0)
            {
                throw new ArgumentException($"Pad: Replicate padding needs a non-empty dimension {dim} to copy from.");
            }

            output[dim] = size + before + after;
            if (output[dim] < 0)
            {
                throw new ArgumentException($"Padding ({before}, {after}) crops dimension {dim} of size {size} to a negative size {output[dim]}.");
            }
        }

        return output;
    }

    /// <summary>Pads <paramref name="input"/> as <c>F.pad(input, pad, mode, value)</c> does.</summary>
    /// <param name="input">The tensor.</param>
    /// <param name="pad">The pad tuple, last dimension first.</param>
    /// <param name="mode">The padding mode.</param>
    /// <param name="value">The fill value for <see cref="PadMode.Constant"/> (PyTorch's <c>value=None</c> means 0).</param>
    /// <returns>A new tensor.</returns>
    /// <exception cref="ArgumentException">See <see cref="OutputShape"/>.</exception>
    public static Tensor Apply(Tensor input, IReadOnlyList<long> pad, PadMode mode = PadMode.Constant, double value = 0)
    {
        _ = input ?? throw new ArgumentNullException(null, "Pad: 'input' is null; pass a value.");
        long[] outputShape = OutputShape(input.shape, pad, mode);
        using var scope = torch.NewDisposeScope();
        Tensor result = input.alias();
        int rank = (int)input.dim();
        for (int k = 0; k < pad.Count / 2; k++)
        {
            int dim = rank - 1 - k;
            result = PadDimension(result, dim, pad[2 * k], outputShape[dim], mode, value);
        }

        return result.MoveToOuterDisposeScope();
    }

    private static Tensor PadDimension(Tensor x, int dim, long before, long outputSize, PadMode mode, double value)
    {
        long size = x.shape[dim];
        if (mode == PadMode.Constant && size == 0)
        {
            long[] shape = [.. x.shape];
            shape[dim] = outputSize;
            return torch.full(shape, value, dtype: x.dtype, device: x.device);
        }

        var source = new long[outputSize];
        var inside = new bool[outputSize];
        for (long i = 0; i < outputSize; i++)
        {
            long j = i - before;
            inside[i] = j >= 0 && j < size;
            source[i] = mode switch
            {
                PadMode.Reflect => j < 0 ? -j : j >= size ? (2 * (size - 1)) - j : j,
                PadMode.Replicate => Math.Clamp(j, 0, size - 1),
                PadMode.Circular => ((j % size) + size) % size,
                _ => Math.Clamp(j, 0, size - 1),
            };
        }

        using Tensor index = torch.tensor(source, device: x.device);
        Tensor gathered = x.index_select(dim, index);
        if (mode != PadMode.Constant || inside.All(b => b))
        {
            return gathered;
        }

        long[] maskShape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        maskShape[dim] = outputSize;
        using Tensor outside = torch.tensor(inside.Select(b => !b).ToArray(), device: x.device).reshape(maskShape);
        return gathered.masked_fill(outside, value);
    }
}
