namespace TorchFacade.Conformance.Cases.Devices;

/// <summary>The operations the devices group runs on CUDA and on the CPU (elementwise, reductions, matmul, convolution).</summary>
internal static class DeviceOps
{
    private const long Elements = 4099; // not a multiple of any vector width: vector paths and their tails both run

    /// <summary>Every compared operation.</summary>
    public static IReadOnlyList<DeviceOp> All { get; } =
    [
        Elementwise("add", "x + y", t => t[0] + t[1], inputs: 2),
        Elementwise("mul", "x * y", t => t[0] * t[1], inputs: 2),
        Elementwise("div", "x / y (y away from 0)", t => t[0] / t[1], inputs: 2, positive: true),
        Elementwise("exp", "exp(x)", t => t[0].exp(), transcendental: true),
        Elementwise("log", "log(x), x > 0", t => t[0].log(), positive: true, transcendental: true),
        Elementwise("sqrt", "sqrt(x), x > 0", t => t[0].sqrt(), positive: true),
        Elementwise("sin", "sin(x)", t => t[0].sin(), transcendental: true),
        Elementwise("tanh", "tanh(x)", t => t[0].tanh(), transcendental: true),
        Elementwise("sigmoid", "sigmoid(x)", t => t[0].sigmoid(), transcendental: true),
        Elementwise("relu", "relu(x)", t => torch.nn.functional.relu(t[0])),
        Elementwise("gelu", "gelu(x) (erf form)", t => torch.nn.functional.gelu(t[0]), transcendental: true),
        Elementwise("silu", "silu(x)", t => torch.nn.functional.silu(t[0]), transcendental: true),
        Elementwise("softplus", "softplus(x)", t => torch.nn.functional.softplus(t[0]), transcendental: true),
        Rowwise("softmax", "softmax over the last dim", t => torch.softmax(t[0], -1)),
        Rowwise("log-softmax", "log_softmax over the last dim", t => torch.nn.functional.log_softmax(t[0], -1)),
        Rowwise("sum", "sum over the last dim", t => t[0].sum(-1)),
        Rowwise("mean", "mean over the last dim", t => t[0].mean([-1L])),
        Rowwise("var", "var over the last dim (Bessel's correction)", t => t[0].var(-1)),
        new DeviceOp(
            "matmul",
            "matmul of a 64×96 and a 96×48 matrix",
            (g, d) => [Randn(g, d, 64, 96), Randn(g, d, 96, 48)],
            t => t[0].matmul(t[1]),
            Differentiable: true,
            (tol, d) => Accumulating(tol, d, 96)),
        new DeviceOp(
            "conv2d",
            "conv2d of a 2×3×17×19 input with 8 3×3 filters, padding 1",
            (g, d) => [Randn(g, d, 2, 3, 17, 19), Randn(g, d, 8, 3, 3, 3), Randn(g, d, 8)],
            t => torch.nn.functional.conv2d(t[0], t[1], t[2], padding: [1, 1]),
            Differentiable: true,
            (tol, d) => d == torch.ScalarType.Float32
                ? tol.Widen(2e-3, 2e-3, "cuDNN may use TF32 for float32 convolutions (allow_tf32 is on by default for cuDNN): 10-bit mantissa products, rel ≈ 1e-3")
                : Accumulating(tol, d, 27)),
    ];

    /// <summary>A seeded N(0, 1) tensor in <paramref name="dtype"/> on the CPU.</summary>
    /// <param name="generator">The seeded generator.</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="shape">The shape.</param>
    /// <returns>The tensor.</returns>
    public static torch.Tensor Randn(torch.Generator generator, torch.ScalarType dtype, params long[] shape) =>
        torch.randn(shape, dtype: torch.ScalarType.Float64, generator: generator).to(dtype);

    private static DeviceOp Elementwise(string name, string formula, Func<torch.Tensor[], torch.Tensor> apply, int inputs = 1, bool positive = false, bool transcendental = false) =>
        new(
            name,
            $"{formula} on CUDA equals {formula} on the CPU",
            (g, d) => Enumerable.Range(0, inputs).Select(_ => Sample(g, d, positive)).ToArray(),
            apply,
            Differentiable: true,
            (tol, d) => transcendental && d == torch.ScalarType.Float32
                ? tol.Widen(4 * 1.19e-7, 1e-6, "CUDA's libdevice and the CPU's vectorised SLEEF-style kernels evaluate float32 transcendentals by different polynomials; each is within 2 ulp of the true value, so they may differ by 4 ulp")
                : tol);

    private static DeviceOp Rowwise(string name, string formula, Func<torch.Tensor[], torch.Tensor> apply) =>
        new(
            name,
            $"{formula} on CUDA equals the CPU's",
            (g, d) => [Randn(g, d, 16, 257)],
            apply,
            Differentiable: true,
            (tol, d) => Accumulating(tol, d, 257));

    // Reductions: CUDA sums in a tree across threads, the CPU in vectorised partial sums; the rounding errors of
    // two orders differ by at most about n·eps·Σ|x| (here Σ|x| ≈ 0.8·n for N(0, 1) inputs).
    private static Tolerance Accumulating(Tolerance tol, torch.ScalarType dtype, int length)
    {
        double eps = dtype == torch.ScalarType.Float64 ? 2.2e-16 : 1.19e-7;
        double atol = Math.Max(tol.Atol, Math.Sqrt(length) * length * eps);
        return tol.Widen(Math.Max(tol.Rtol, 8 * eps * Math.Sqrt(length)), atol,
            $"sums of {length} terms in a different order on each device (CUDA tree reduction vs CPU vectorised partial sums): error grows like √n·n·eps");
    }

    private static torch.Tensor Sample(torch.Generator generator, torch.ScalarType dtype, bool positive)
    {
        // A seeded sweep: N(0, 3²) values plus the edge values of the conformance spec that are finite for every op.
        using var random = torch.randn([Elements], dtype: torch.ScalarType.Float64, generator: generator) * 3.0;
        using var edges = torch.tensor(new[] { 0.0, -0.0, 1e-30, -1e-30, 1, -1, 10, -10, 20, -20, 88, -88 }, dtype: torch.ScalarType.Float64);
        using var all = torch.cat([edges, random]);
        using var shaped = positive ? all.abs() + 0.1 : all.alias();
        return shaped.to(dtype);
    }
}
