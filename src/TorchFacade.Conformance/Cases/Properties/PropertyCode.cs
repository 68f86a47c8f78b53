using System.Globalization;

namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>Writes values as C# and Python literals for the reproducing snippets of failing properties.</summary>
internal static class PropertyCode
{
    /// <summary>A double as a C# literal (<c>double.NaN</c>, <c>double.PositiveInfinity</c>, <c>-0.0</c>, round-trip digits).</summary>
    public static string CSharp(double v) => double.IsNaN(v) ? "double.NaN"
        : double.IsPositiveInfinity(v) ? "double.PositiveInfinity"
        : double.IsNegativeInfinity(v) ? "double.NegativeInfinity"
        : Literal(v);

    /// <summary>A double as a Python literal (<c>float('nan')</c>, <c>float('inf')</c>, <c>-0.0</c>, round-trip digits).</summary>
    public static string Python(double v) => double.IsNaN(v) ? "float('nan')"
        : double.IsPositiveInfinity(v) ? "float('inf')"
        : double.IsNegativeInfinity(v) ? "float('-inf')"
        : Literal(v);

    /// <summary>A C# <c>double[]</c> initializer.</summary>
    public static string CSharpArray(IEnumerable<double> values) => "new double[] { " + string.Join(", ", values.Select(CSharp)) + " }";

    /// <summary>A Python list.</summary>
    public static string PythonList(IEnumerable<double> values) => "[" + string.Join(", ", values.Select(Python)) + "]";

    /// <summary>A shape as a C# <c>long[]</c> collection expression.</summary>
    public static string CSharpShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>A shape as a Python tuple.</summary>
    public static string PythonShape(IReadOnlyCollection<long> shape) => shape.Count == 1 ? $"({shape.First()},)" : "(" + string.Join(", ", shape) + ")";

    /// <summary>The <c>torch.ScalarType</c> member for a dtype, for C#.</summary>
    public static string CSharpDType(torch.ScalarType dtype) => "torch.ScalarType." + dtype;

    /// <summary>The <c>torch.&lt;dtype&gt;</c> name for Python.</summary>
    public static string PythonDType(torch.ScalarType dtype) => "torch." + DTypeNames.Of(dtype);

    private static string Literal(double v)
    {
        string text = v.ToString("R", CultureInfo.InvariantCulture);
        if (v == 0 && double.IsNegative(v))
        {
            return "-0.0";
        }

        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}
