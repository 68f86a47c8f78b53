namespace TorchFacade.Reference.Layers;

/// <summary>
/// Output sizes of convolutions, per spatial dimension, as PyTorch's <c>nn.Conv2d</c> / <c>nn.ConvTranspose2d</c> docstrings
/// define them: <c>H_out = ⌊(H_in + 2·padding − dilation·(kernel − 1) − 1)/stride + 1⌋</c> and
/// <c>H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1</c>.
/// </summary>
public static class ConvShape
{
    /// <summary>The output size of a convolution along one dimension (PyTorch's <c>Conv2d</c> formula).</summary>
    /// <param name="inputSize">H_in (≥ 0).</param>
    /// <param name="kernelSize">Kernel size (≥ 1).</param>
    /// <param name="stride">Stride (≥ 1).</param>
    /// <param name="padding">Zero padding added on <i>each</i> side (≥ 0).</param>
    /// <param name="dilation">Dilation (≥ 1).</param>
    /// <returns>H_out (≥ 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range, or the padded input is smaller than the dilated kernel (PyTorch raises "Kernel size can't be greater than actual input size").</exception>
    public static long OutputSize(long inputSize, long kernelSize, long stride = 1, long padding = 0, long dilation = 1)
    {
        Validate(inputSize, kernelSize, stride, padding, dilation);
        long span = (dilation * (kernelSize - 1)) + 1;
        long padded = inputSize + (2 * padding);
        if (padded < span)
        {
            throw new ArgumentOutOfRangeException(null, inputSize, $"ConvShape: The padded input ({inputSize} + 2·{padding} = {padded}) is smaller than the dilated kernel ({dilation}·({kernelSize} − 1) + 1 = {span}); " +
                "use a larger input, more padding, or a smaller kernel/dilation.");
        }

        return ((padded - span) / stride) + 1;
    }

    /// <summary>The output size with PyTorch's string padding: <c>"valid"</c> (no padding) or <c>"same"</c> (output = input; stride must be 1).</summary>
    /// <param name="inputSize">H_in.</param>
    /// <param name="kernelSize">Kernel size.</param>
    /// <param name="padding"><c>"same"</c> or <c>"valid"</c> (case-insensitive).</param>
    /// <param name="stride">Stride; must be 1 for <c>"same"</c>.</param>
    /// <param name="dilation">Dilation.</param>
    /// <returns>H_out.</returns>
    /// <exception cref="ArgumentException"><paramref name="padding"/> is neither <c>same</c> nor <c>valid</c>, or <c>same</c> with a stride other than 1.</exception>
    public static long OutputSize(long inputSize, long kernelSize, string padding, long stride = 1, long dilation = 1)
    {
        _ = padding ?? throw new ArgumentNullException(null, "ConvShape: 'padding' is null; pass a value.");
        if (string.Equals(padding, "valid", StringComparison.OrdinalIgnoreCase))
        {
            return OutputSize(inputSize, kernelSize, stride, 0, dilation);
        }

        if (!string.Equals(padding, "same", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"ConvShape: padding must be \"same\", \"valid\" or a number, got \"{padding}\".");
        }

        if (stride != 1)
        {
            throw new ArgumentException($"ConvShape: padding='same' is not supported for strided convolutions (stride {stride}); PyTorch raises the same error. Use stride 1 or numeric padding.");
        }

        (long left, long right) = SamePadding(kernelSize, dilation);
        Validate(inputSize, kernelSize, stride, 0, dilation);
        long span = (dilation * (kernelSize - 1)) + 1;
        return inputSize + left + right - span + 1;
    }

    /// <summary>
    /// The (before, after) padding PyTorch uses for <c>padding='same'</c>: total <c>dilation·(kernel − 1)</c>, split as
    /// <c>before = total / 2</c>, <c>after = total − before</c> (the odd element goes after, i.e. right/bottom).
    /// </summary>
    /// <param name="kernelSize">Kernel size (≥ 1).</param>
    /// <param name="dilation">Dilation (≥ 1).</param>
    /// <returns>The padding before and after.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static (long Before, long After) SamePadding(long kernelSize, long dilation = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        long total = dilation * (kernelSize - 1);
        long before = total / 2;
        return (before, total - before);
    }

    /// <summary>The output size of a transposed convolution along one dimension (PyTorch's <c>ConvTranspose2d</c> formula).</summary>
    /// <param name="inputSize">H_in (≥ 0).</param>
    /// <param name="kernelSize">Kernel size (≥ 1).</param>
    /// <param name="stride">Stride (≥ 1).</param>
    /// <param name="padding">Padding (≥ 0).</param>
    /// <param name="outputPadding">Extra size on one side (≥ 0 and smaller than stride or dilation, as PyTorch requires).</param>
    /// <param name="dilation">Dilation (≥ 1).</param>
    /// <returns>H_out.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range or the result is not positive.</exception>
    public static long TransposedOutputSize(long inputSize, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0, long dilation = 1)
    {
        Validate(inputSize, kernelSize, stride, padding, dilation);
        ArgumentOutOfRangeException.ThrowIfNegative(outputPadding);
        if (outputPadding >= Math.Max(stride, dilation))
        {
            throw new ArgumentOutOfRangeException(null, outputPadding, $"ConvShape: output_padding must be smaller than either stride ({stride}) or dilation ({dilation}), as in PyTorch.");
        }

        long size = ((inputSize - 1) * stride) - (2 * padding) + (dilation * (kernelSize - 1)) + outputPadding + 1;
        if (size <= 0)
        {
            throw new ArgumentOutOfRangeException(null, padding, $"ConvShape: The transposed convolution's output size would be {size}; reduce the padding.");
        }

        return size;
    }

    /// <summary>The (H_out, W_out) of <c>nn.Conv2d</c> with per-dimension arguments.</summary>
    /// <param name="input">(H_in, W_in).</param>
    /// <param name="kernel">(kH, kW).</param>
    /// <param name="stride">(sH, sW); <see langword="null"/> for (1, 1).</param>
    /// <param name="padding">(pH, pW); <see langword="null"/> for (0, 0).</param>
    /// <param name="dilation">(dH, dW); <see langword="null"/> for (1, 1).</param>
    /// <returns>(H_out, W_out).</returns>
    /// <exception cref="ArgumentOutOfRangeException">See <see cref="OutputSize(long, long, long, long, long)"/>.</exception>
    public static (long Height, long Width) Conv2d((long Height, long Width) input, (long Height, long Width) kernel, (long Height, long Width)? stride = null, (long Height, long Width)? padding = null, (long Height, long Width)? dilation = null)
    {
        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        return (OutputSize(input.Height, kernel.Height, s.Height, p.Height, d.Height),
                OutputSize(input.Width, kernel.Width, s.Width, p.Width, d.Width));
    }

    private static void Validate(long inputSize, long kernelSize, long stride, long padding, long dilation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
    }
}
