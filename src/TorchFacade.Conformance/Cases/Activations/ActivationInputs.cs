namespace TorchFacade.Conformance.Cases.Activations;

/// <summary>The inputs of the activation cases (conformance.md "Inputs"): edge values, a dense sweep, seeded tensors.</summary>
internal static class ActivationInputs
{
    /// <summary>
    /// 0, −0.0, ±1e-30, subnormals (float32's and float64's), ±0.5, ±1, ±3, ±10, ±20 and its float32 neighbours,
    /// ±88, ±100, ±1e4, ±∞, NaN.
    /// </summary>
    public static IReadOnlyList<double> EdgeValues { get; } =
    [
        0.0, -0.0, 1e-30, -1e-30, 1e-40, -1e-40, 1.401298464324817e-45, 1e-310, -1e-310, double.Epsilon,
        0.5, -0.5, 1, -1, 3, -3, 10, -10, 20, -20,
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(20f) + 1), BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(20f) - 1),
        10.000000953674316, 88, -88, 100, -100, 1e4, -1e4,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN,
    ];

    /// <summary>The edge values followed by a dense sweep over [−10, 10] in steps of 0.01 (2001 points).</summary>
    /// <returns>The values in double.</returns>
    public static double[] EdgeAndSweep() =>
        EdgeValues.Concat(Enumerable.Range(0, 2001).Select(i => -10 + (i * 0.01))).ToArray();

    /// <summary>The edge values and sweep as a 1-d tensor of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    /// <param name="dtype">The dtype (values are rounded to it).</param>
    /// <param name="device">The device.</param>
    /// <returns>The tensor.</returns>
    public static Tensor EdgeTensor(ScalarType dtype, Device device) =>
        tensor(EdgeAndSweep(), ScalarType.Float64).to(dtype, device);

    /// <summary>A seeded standard-normal tensor times <paramref name="scale"/>, made on the CPU in float64 then converted (so every device sees the same values).</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="scale">The spread.</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="device">The device.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Seeded(long[] shape, long seed, double scale, ScalarType dtype, Device device)
    {
        using var generator = new Generator((ulong)seed);
        using var x = randn(shape, ScalarType.Float64, generator: generator);
        return x.mul(scale).to(dtype, device);
    }
}
