namespace TorchFacade.Examples;

/// <summary>
/// The notes' NumPy GELU (the tanh approximation, with the cubic term) on plain <see cref="double"/> arrays — NumPy's
/// element-wise ufuncs become a per-element lambda. The snippet only defines the function; it prints nothing.
/// </summary>
public sealed class GeluNumpyExample : Example
{
    /// <summary>Creates the example.</summary>
    public GeluNumpyExample()
        : base("10-gelu-numpy")
    {
    }

    /// <summary><c>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c> element-wise, PyTorch's <c>F.gelu(x, approximate='tanh')</c>.</summary>
    /// <param name="x">The inputs (a NumPy array in the notes).</param>
    /// <returns>A new array.</returns>
    public static double[] Gelu(double[] x)                 // def GELU(x):
    {
        ArgumentNullException.ThrowIfNull(x);
        //     return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * np.power(x, 3))))
        return x.Select(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + (0.044715 * Math.Pow(v, 3)))))).ToArray();
    }

    /// <inheritdoc />
    public override void Run(TextWriter output) => ArgumentNullException.ThrowIfNull(output);
}
