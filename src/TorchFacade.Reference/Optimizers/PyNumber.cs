using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// A number in PyTorch's LBFGS code, which mixes Python floats and 0-d tensors (<c>gtd = g.dot(d)</c>, <c>t = min(1.0,
/// 1.0 / g.abs().sum()) * lr</c>, ...): either a <see cref="double"/> or a 0-d tensor of the parameters' dtype. The
/// operators follow Python's and PyTorch's rules (a float with a tensor is a tensor op; <c>float / tensor</c> is
/// <c>tensor.reciprocal() * float</c>, as <c>Tensor.__rtruediv__</c>), so the line search takes the same branches.
/// </summary>
internal readonly struct PyNumber
{
    private PyNumber(double value, torch.Tensor? tensor)
    {
        Value = value;
        Tensor = tensor;
    }

    /// <summary>The tensor, or null for a float.</summary>
    public torch.Tensor? Tensor { get; }

    /// <summary>The float (when <see cref="Tensor"/> is null).</summary>
    public double Value { get; }

    /// <summary>As Python's <c>float(x)</c>.</summary>
    public double AsDouble => Tensor is null ? Value : Tensor.dtype == torch.ScalarType.Float64 ? Tensor.item<double>() : Tensor.item<float>();

    /// <summary>The value as a state-dict entry (a tensor, or a double).</summary>
    public object Boxed => Tensor is { } t ? (object)t : Value;

    public static implicit operator PyNumber(double value) => new(value, null);

    public static implicit operator PyNumber(torch.Tensor tensor) => new(0, tensor);

    public static PyNumber operator +(PyNumber a, PyNumber b) => (a.Tensor, b.Tensor) switch
    {
        (null, null) => (PyNumber)(a.Value + b.Value),
        ({ } x, null) => x.add(S(b.Value), One),
        (null, { } y) => y.add(S(a.Value), One),
        ({ } x, { } y) => x.add(y, One),
    };

    public static PyNumber operator -(PyNumber a, PyNumber b) => (a.Tensor, b.Tensor) switch
    {
        (null, null) => (PyNumber)(a.Value - b.Value),
        ({ } x, null) => x.sub(S(b.Value)),
        (null, { } y) => y.neg().add(S(a.Value), One),
        ({ } x, { } y) => x.sub(y),
    };

    public static PyNumber operator *(PyNumber a, PyNumber b) => (a.Tensor, b.Tensor) switch
    {
        (null, null) => (PyNumber)(a.Value * b.Value),
        ({ } x, null) => x.mul(S(b.Value)),
        (null, { } y) => y.mul(S(a.Value)),
        ({ } x, { } y) => x.mul(y),
    };

    public static PyNumber operator /(PyNumber a, PyNumber b) => (a.Tensor, b.Tensor) switch
    {
        (null, null) => (PyNumber)(a.Value / b.Value),
        ({ } x, null) => x.div(S(b.Value)),
        (null, { } y) => y.reciprocal().mul(S(a.Value)),
        ({ } x, { } y) => x.div(y),
    };

    public static PyNumber operator -(PyNumber a) => a.Tensor is { } x ? x.neg() : (PyNumber)(-a.Value);

    public static bool operator <(PyNumber a, PyNumber b) => Compare(a, b, (x, y) => x < y, (x, y) => x.lt(S(y)), (x, y) => x.lt(y), (x, y) => x.gt(S(y)));

    public static bool operator >(PyNumber a, PyNumber b) => b < a;

    public static bool operator <=(PyNumber a, PyNumber b) => Compare(a, b, (x, y) => x <= y, (x, y) => x.le(S(y)), (x, y) => x.le(y), (x, y) => x.ge(S(y)));

    public static bool operator >=(PyNumber a, PyNumber b) => b <= a;

    /// <summary>Python's <c>abs(x)</c>.</summary>
    /// <returns>|x|.</returns>
    public PyNumber Abs() => Tensor is { } x ? x.abs() : (PyNumber)Math.Abs(Value);

    /// <summary>Python's <c>min(a, b)</c>: <paramref name="a"/> unless <paramref name="b"/> &lt; <paramref name="a"/>.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>The minimum.</returns>
    public static PyNumber Min(PyNumber a, PyNumber b) => b < a ? b : a;

    /// <summary>Python's <c>max(a, b)</c>: <paramref name="a"/> unless <paramref name="b"/> &gt; <paramref name="a"/>.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>The maximum.</returns>
    public static PyNumber Max(PyNumber a, PyNumber b) => b > a ? b : a;

    /// <summary>Reads a state-dict entry (tensor or number).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The number.</returns>
    public static PyNumber From(object? value) => value switch
    {
        torch.Tensor t => (PyNumber)t,
        double d => d,
        long l => l,
        int i => i,
        float f => f,
        _ => throw new ArgumentException($"PyNumber: Expected a number or a 0-d tensor, got {value?.GetType().Name ?? "None"}."),
    };

    private static bool Compare(PyNumber a, PyNumber b, Func<double, double, bool> numbers, Func<torch.Tensor, double, torch.Tensor> tensorScalar, Func<torch.Tensor, torch.Tensor, torch.Tensor> tensors, Func<torch.Tensor, double, torch.Tensor> scalarTensor) =>
        (a.Tensor, b.Tensor) switch
        {
            (null, null) => numbers(a.Value, b.Value),
            ({ } x, null) => tensorScalar(x, b.Value).item<bool>(),
            (null, { } y) => scalarTensor(y, a.Value).item<bool>(),
            ({ } x, { } y) => tensors(x, y).item<bool>(),
        };
}
