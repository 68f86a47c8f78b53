using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Printing;

/// <summary>
/// Formats tensors exactly as PyTorch's <c>str(tensor)</c> / <c>print(tensor)</c> does (<c>torch/_tensor_str.py</c>):
/// <c>tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])</c>, integer-valued floats as <c>1.</c>, scientific notation when
/// the magnitudes span more than 1000× (or exceed 1e8, or go below 1e-4), summaries with <c>...</c> above 1000 elements,
/// line wrapping at 80 characters, and the suffixes <c>device=</c>, <c>dtype=</c> (when not float32/int64/bool),
/// <c>grad_fn=&lt;...&gt;</c> or <c>requires_grad=True</c>.
/// </summary>
public static class PyTorchFormat
{
    private const string Prefix = "tensor(";

    /// <summary><c>str(tensor)</c> with PyTorch's default print options.</summary>
    /// <param name="tensor">The tensor (any device; copied to the CPU to read).</param>
    /// <returns>The text PyTorch prints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="NotSupportedException">The tensor is complex or quantized (not supported yet).</exception>
    public static string Format(Tensor tensor) => Format(tensor, PrintOptions.Default);

    /// <summary><c>str(tensor)</c> with the given print options.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="options">The print options (<c>torch.set_printoptions</c>).</param>
    /// <returns>The text PyTorch prints.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="NotSupportedException">The tensor is complex or quantized.</exception>
    public static string Format(Tensor tensor, PrintOptions options)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(options);
        var suffixes = new List<string>();
        if (tensor.device_type != DeviceType.CPU)
        {
            suffixes.Add($"device='{tensor.device_type.ToString().ToLowerInvariant()}:{Math.Max(0, tensor.device_index)}'");
        }

        bool defaultDtype = tensor.dtype is ScalarType.Float32 or ScalarType.Int64 or ScalarType.Bool;
        string body;
        if (tensor.numel() == 0)
        {
            if (tensor.dim() != 1)
            {
                suffixes.Add("size=" + Tuple(tensor.shape));
            }

            // PyTorch names the dtype of an empty tensor unless it is the default dtype (float32): empty int64 and
            // bool tensors print dtype=torch.int64 / dtype=torch.bool, unlike non-empty ones.
            if (tensor.dtype != ScalarType.Float32)
            {
                suffixes.Add("dtype=" + DTypeName(tensor.dtype));
            }

            body = "[]";
        }
        else
        {
            if (!defaultDtype)
            {
                suffixes.Add("dtype=" + DTypeName(tensor.dtype));
            }

            body = Body(tensor, Prefix.Length, options);
        }

        if (tensor.requires_grad && !tensor.is_leaf)
        {
            // LibTorch's own node name (TensorAutograd.GradFn); null off Linux x64, where a generic name is printed.
            suffixes.Add($"grad_fn=<{tensor.GradFn?.Name ?? "Backward"}>");
        }
        else if (tensor.requires_grad)
        {
            suffixes.Add("requires_grad=True");
        }

        return AddSuffixes(Prefix + body, suffixes, Prefix.Length, options.LineWidth);
    }

    /// <summary>PyTorch's <c>str(tensor.size())</c>, e.g. <c>torch.Size([3, 3, 4, 4])</c>.</summary>
    /// <param name="shape">The shape.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="shape"/> is null.</exception>
    public static string Size(IEnumerable<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return "torch.Size([" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "])";
    }

    /// <summary>PyTorch's name of a dtype, e.g. <c>torch.float64</c>.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <returns>The name.</returns>
    public static string DTypeName(ScalarType dtype) => "torch." + dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Int8 => "int8",
        ScalarType.Byte => "uint8",
        ScalarType.Int16 => "int16",
        ScalarType.Int32 => "int32",
        ScalarType.Int64 => "int64",
        ScalarType.Bool => "bool",
        ScalarType.ComplexFloat32 => "complex64",
        ScalarType.ComplexFloat64 => "complex128",
        _ => dtype.ToString().ToLowerInvariant(),
    };

    private static string Tuple(long[] shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    private static string Body(Tensor tensor, int indent, PrintOptions options)
    {
        if (tensor.is_complex() || tensor.dtype is ScalarType.QInt8 or ScalarType.QUInt8 or ScalarType.QInt32)
        {
            throw new NotSupportedException($"PyTorchFormat does not format {DTypeName(tensor.dtype)} tensors; convert to a real dtype first.");
        }

        bool floating = tensor.is_floating_point();
        bool boolean = tensor.dtype == ScalarType.Bool;
        double[] values;
        long[]? integers = null;
        using (var cpu = tensor.detach().cpu().contiguous())
        {
            if (floating)
            {
                using var d = cpu.to(ScalarType.Float64);
                values = d.data<double>().ToArray();
            }
            else
            {
                using var l = cpu.to(ScalarType.Int64);
                integers = l.data<long>().ToArray();
                values = integers.Select(v => (double)v).ToArray();
            }
        }

        var view = new NestedView(values, integers, tensor.shape, boolean);
        bool summarize = tensor.numel() > options.Threshold;
        var formatter = new ElementFormatter(view, summarize ? view.Summarized(options.EdgeItems) : Enumerable.Range(0, values.Length), floating, options.Precision);
        return TensorString(view, 0, 0, indent, summarize, formatter, options);
    }

    private static string TensorString(NestedView view, int depth, long offset, int indent, bool summarize, ElementFormatter formatter, PrintOptions options)
    {
        int remaining = view.Shape.Length - depth;
        if (remaining == 0)
        {
            return formatter.Format(offset);
        }

        long size = view.Shape[depth];
        long stride = view.Strides[depth];
        if (remaining == 1)
        {
            int elementLength = formatter.Width + 2;
            int perLine = Math.Max(1, (options.LineWidth - indent) / elementLength);
            List<string> data;
            if (summarize && size > 2 * options.EdgeItems)
            {
                data = [.. Enumerable.Range(0, options.EdgeItems).Select(i => formatter.Format(offset + (i * stride))),
                        " ...",
                        .. Enumerable.Range(0, options.EdgeItems).Select(i => formatter.Format(offset + ((size - options.EdgeItems + i) * stride)))];
            }
            else
            {
                data = [.. Enumerable.Range(0, (int)size).Select(i => formatter.Format(offset + (i * stride)))];
            }

            var lines = data.Chunk(perLine).Select(line => string.Join(", ", line));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }

        List<string> slices;
        if (summarize && size > 2 * options.EdgeItems)
        {
            slices = [.. Enumerable.Range(0, options.EdgeItems).Select(i => TensorString(view, depth + 1, offset + (i * stride), indent + 1, summarize, formatter, options)),
                      "...",
                      .. Enumerable.Range(0, options.EdgeItems).Select(i => TensorString(view, depth + 1, offset + ((size - options.EdgeItems + i) * stride), indent + 1, summarize, formatter, options))];
        }
        else
        {
            slices = [.. Enumerable.Range(0, (int)size).Select(i => TensorString(view, depth + 1, offset + (i * stride), indent + 1, summarize, formatter, options))];
        }

        string separator = "," + new string('\n', remaining - 1) + new string(' ', indent + 1);
        return "[" + string.Join(separator, slices) + "]";
    }

    private static string AddSuffixes(string tensorString, List<string> suffixes, int indent, int lineWidth)
    {
        var sb = new StringBuilder(tensorString);
        int lastLineLength = tensorString.Length - tensorString.LastIndexOf('\n') + 1;
        foreach (string suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > lineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }

        return sb.Append(')').ToString();
    }

    /// <summary>A row-major view of the values with their shape.</summary>
    private sealed class NestedView
    {
        public NestedView(double[] values, long[]? integers, long[] shape, bool boolean)
        {
            Values = values;
            Integers = integers;
            Shape = shape;
            Boolean = boolean;
            Strides = new long[shape.Length];
            long s = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                Strides[d] = s;
                s *= shape[d];
            }
        }

        public double[] Values { get; }

        public long[]? Integers { get; }

        public long[] Shape { get; }

        public long[] Strides { get; }

        public bool Boolean { get; }

        /// <summary>The flat indices PyTorch's <c>get_summarized_data</c> keeps (edge items of every dimension).</summary>
        public IEnumerable<int> Summarized(int edgeItems)
        {
            IEnumerable<long> offsets = [0L];
            for (int d = 0; d < Shape.Length; d++)
            {
                long size = Shape[d], stride = Strides[d];
                IEnumerable<long> kept = size > 2 * edgeItems
                    ? Enumerable.Range(0, edgeItems).Select(i => (long)i).Concat(Enumerable.Range(0, edgeItems).Select(i => size - edgeItems + i))
                    : Enumerable.Range(0, (int)size).Select(i => (long)i);
                long[] keptArray = kept.ToArray();
                offsets = offsets.SelectMany(o => keptArray.Select(k => o + (k * stride))).ToArray();
            }

            return offsets.Select(o => (int)o);
        }
    }

    /// <summary>PyTorch's <c>_Formatter</c>: decides int/fixed/scientific mode and the common width.</summary>
    private sealed class ElementFormatter
    {
        private readonly NestedView view;
        private readonly bool floating;
        private readonly int precision;
        private readonly bool intMode = true;
        private readonly bool sciMode;

        public ElementFormatter(NestedView view, IEnumerable<int> indices, bool floating, int precision)
        {
            this.view = view;
            this.floating = floating;
            this.precision = precision;
            Width = 1;
            int[] kept = indices.ToArray();
            if (!floating)
            {
                foreach (int i in kept)
                {
                    Width = Math.Max(Width, Raw(i).Length);
                }

                return;
            }

            double[] nonzeroFinite = kept.Select(i => view.Values[i]).Where(v => double.IsFinite(v) && v != 0).ToArray();
            if (nonzeroFinite.Length == 0)
            {
                return;
            }

            double min = nonzeroFinite.Min(Math.Abs), max = nonzeroFinite.Max(Math.Abs);
            intMode = nonzeroFinite.All(v => v == Math.Ceiling(v));
            if (intMode)
            {
                sciMode = max / min > 1000.0 || max > 1.0e8;
                foreach (double v in nonzeroFinite)
                {
                    Width = Math.Max(Width, sciMode ? PythonNumberFormat.Scientific(v, precision).Length : PythonNumberFormat.Fixed(v, 0).Length + 1);
                }
            }
            else
            {
                sciMode = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
                foreach (double v in nonzeroFinite)
                {
                    Width = Math.Max(Width, (sciMode ? PythonNumberFormat.Scientific(v, precision) : PythonNumberFormat.Fixed(v, precision)).Length);
                }
            }
        }

        public int Width { get; }

        public string Format(long index)
        {
            string text;
            if (!floating)
            {
                text = Raw((int)index);
            }
            else
            {
                double v = view.Values[index];
                if (sciMode)
                {
                    text = PythonNumberFormat.Scientific(v, precision);
                }
                else if (intMode)
                {
                    text = PythonNumberFormat.Fixed(v, 0) + (double.IsFinite(v) ? "." : string.Empty);
                }
                else
                {
                    text = PythonNumberFormat.Fixed(v, precision);
                }
            }

            return text.PadLeft(Width);
        }

        private string Raw(int i) => view.Boolean
            ? (view.Integers![i] != 0 ? "True" : "False")
            : view.Integers![i].ToString(CultureInfo.InvariantCulture);
    }
}
