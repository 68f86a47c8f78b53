using TorchFacade.Optim;

namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// The hand-worked examples (loss = mean(3(x+2)²), so
/// ∂loss/∂x = 1.5(x+2) for four elements), run through autograd, <c>ZeroGrad</c>, <c>Backward</c> and <c>Step</c> with the
/// reference optimizers and the facade's wrappers over TorchSharp's built-ins, against the hand-computed values.
/// </summary>
internal sealed class WorkedExampleCases : ICaseSource
{
    /// <summary>The hand values are printed with 7 significant digits.</summary>
    public static readonly Tolerance SevenDigits = new(6e-7, 1e-7, "hand values printed with 7 significant digits");

    /// <summary>The float32 values are printed with 10 significant digits: within one float32 ULP.</summary>
    public static readonly Tolerance Float32Bits = new(1.2e-7, 0, "float32 values emulated in LibTorch's operation order, printed with 10 digits: at most 1 ULP (FMA variant)");

    /// <summary>
    /// D.3's float32 column is LibTorch's order without FMA; LibTorch's vectorized <c>add_(buf, alpha=-lr)</c> is an FMA on
    /// AVX2/AVX-512 (TorchSharp's built-in gives −0.23749995 at step 2, bit for bit what the reference gives), 2 ULP apart.
    /// </summary>
    public static readonly Tolerance Float32NoFma = new(3e-7, 0, "D.3's float32 column was emulated without FMA; LibTorch's add_ is an FMA here (TorchSharp's built-in agrees bit for bit with the reference): 2 ULP");

    private static readonly double[] SixStepStart = [1, -0.5, 2, 0.25];

    /// <summary>The examples: name, configuration, start, expected x after each step (or only the last), dtype, tolerance.</summary>
    public static IReadOnlyList<WorkedExample> Examples { get; } =
    [
        new("six-steps", new(OptimizerKind.SGD) { Lr = 0.1 }, SixStepStart, [[-0.8685515, -1.4342757, -0.4914019, -1.1514136]], 6),
        new("six-steps", new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9 }, SixStepStart, [[-3.6862402, -2.8431201, -4.2483203, -3.2646802]], 6),
        new("six-steps", new(OptimizerKind.Adagrad) { Lr = 0.1 }, SixStepStart, [[0.6445086, -0.8463534, 1.6423244, -0.1025171]], 6),
        new("six-steps", new(OptimizerKind.RMSprop) { Lr = 0.01 }, SixStepStart, [[0.6427215, -0.8481083, 1.6405313, -0.1042949]], 6),
        new("six-steps", new(OptimizerKind.Adam) { Lr = 0.1 }, SixStepStart, [[0.4030636, -1.0923638, 1.4021738, -0.345603]], 6),
        new("six-steps", new(OptimizerKind.AdamW) { Lr = 0.1, WeightDecay = 0.01 }, SixStepStart, [[0.3986053, -1.087952, 1.3917465, -0.3455999]], 6),
        new("d2-one-step", new(OptimizerKind.SGD) { Lr = 0.1 }, [1, 1, 1, 1], Each(0.55)),
        new("d3", new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9 }, [1, 1, 1, 1], Each(0.55, -0.2375, -1.210625, -2.20484375, -3.0689140625)),
        new("d3", new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9, Nesterov = true }, [1, 1, 1, 1], Each(0.145, -0.830825, -1.752707, -2.495041, -2.988671)),
        new("d3", new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9, Dampening = 0.5 }, [1, 1, 1, 1], Each(0.55, -0.04625, -0.7294063, -1.439541, -2.120697)),
        new("d4", new(OptimizerKind.Adam) { Lr = 0.1 }, [1, 1, 1, 1], Each(0.9000000002, 0.8001027, 0.7003815)),
        new("d4", new(OptimizerKind.Adam) { Lr = 0.1, WeightDecay = 0.01 }, [1, 1, 1, 1], Each(0.9, 0.8001032, 0.7003835)),
        new("d4", new(OptimizerKind.Adam) { Lr = 0.1, Maximize = true }, [1, 1, 1, 1], Each(1.1, 1.200072, 1.300261)),
        new("d4", new(OptimizerKind.Adam) { Lr = 0.1, Betas = (0.9, 0.5) }, [1, 1, 1, 1], Each(0.9, 0.7995345, 0.6983096, 0.596061, 0.4925572)),
        new("d4", new(OptimizerKind.Adam) { Lr = 0.1, Betas = (0.9, 0.5), Amsgrad = true }, [1, 1, 1, 1], Each(0.9, 0.7995345, 0.6983096, 0.596061, 0.4942717)),
        new("d5", new(OptimizerKind.AdamW) { Lr = 0.1, WeightDecay = 0.01 }, [1, 1, 1, 1], Each(0.899, 0.7982049, 0.69768864)),
        new("d6", new(OptimizerKind.Adagrad) { Lr = 0.1 }, [1, 1, 1, 1], Each(0.9, 0.8304978, 0.7743593)),
        new("d6", new(OptimizerKind.Adagrad) { Lr = 0.1, LrDecay = 0.1, InitialAccumulatorValue = 0.5 }, [1, 1, 1, 1], Each(0.9012122, 0.838414, 0.7917521)),
        new("d7", new(OptimizerKind.RMSprop) { Lr = 0.01 }, [1, 1, 1, 1], Each(0.900000002, 0.83031745, 0.7738886)),
        new("d7", new(OptimizerKind.RMSprop) { Lr = 0.01, Momentum = 0.9, Centered = true }, [1, 1, 1, 1], Each(0.8994962, 0.7386629, 0.5379089)),
        new("d2-one-step", new(OptimizerKind.SGD) { Lr = 0.1 }, [1, 1, 1, 1], Each(0.5499999523), torch.ScalarType.Float32),
        new("d3", new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9 }, [1, 1, 1, 1], Each(0.5499999523, -0.2375000119, -1.2106249332, -2.2048437595, -3.0689141750), torch.ScalarType.Float32) { Tolerance = Float32NoFma },
        new("d4", new(OptimizerKind.Adam) { Lr = 0.1 }, [1, 1, 1, 1], Each(0.8999999762, 0.8001027107, 0.7003815174), torch.ScalarType.Float32),
        new("d5", new(OptimizerKind.AdamW) { Lr = 0.1, WeightDecay = 0.01 }, [1, 1, 1, 1], Each(0.8990000486, 0.7982048988, 0.6976886988), torch.ScalarType.Float32),
        new("d6", new(OptimizerKind.Adagrad) { Lr = 0.1 }, [1, 1, 1, 1], Each(0.8999999762, 0.8304977417, 0.7743592858), torch.ScalarType.Float32),
        new("d7", new(OptimizerKind.RMSprop) { Lr = 0.01 }, [1, 1, 1, 1], Each(0.8999999762, 0.8303174376, 0.7738885880), torch.ScalarType.Float32),
    ];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (WorkedExample e in Examples)
        {
            foreach (string device in ConformanceDevices.All)
            {
                foreach (bool builtIn in new[] { false, true })
                {
                    string which = builtIn ? "builtin" : "reference";
                    Tolerance tolerance = e.Tolerance ?? (e.DType == torch.ScalarType.Float32 ? Float32Bits : SevenDigits);
                    yield return CaseKit.Make(CaseGroup.Optimizers, $"optimizer/worked/{e.Name}/{e.Spec.Name}/{e.Spec.Label}/{DTypeNames.Of(e.DType)}/{device}/{which}", device, $"{e.Spec.Name}({e.Spec.Label}) from [{string.Join(", ", e.Start)}] on mean(3(x+2)²) gives the hand-computed values ({e.Name}).", builtIn ? "facade wrapper over TorchSharp built-in vs hand values" : "reference vs hand values", () => Run(e, ConformanceDevices.Of(device), builtIn, tolerance), e.DType, tolerance);
                }
            }
        }
    }

    /// <summary>Runs one example: ZeroGrad, forward, backward, Step, compare after each step that has expected values.</summary>
    /// <param name="e">The example.</param>
    /// <param name="device">The device.</param>
    /// <param name="builtIn">Use the facade's wrapper over TorchSharp's built-in instead of the reference.</param>
    /// <param name="tolerance">The tolerance.</param>
    /// <returns>The result.</returns>
    public static CaseResult Run(WorkedExample e, torch.Device device, bool builtIn, Tolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(e);
        torch.Tensor x = torch.tensor(e.Start, dtype: torch.ScalarType.Float64).to(e.DType, device).requires_grad_(true);
        using Optimizer opt = builtIn ? e.Spec.CreateFacadeBuiltIn([x]) : e.Spec.CreateReference([x]);
        CaseResult last = CaseResult.Pass();
        for (int step = 0; step < e.Steps; step++)
        {
            opt.ZeroGrad();
            torch.Tensor y = x + 2;
            torch.Tensor loss = (y * y * 3).mean();
            loss.backward();
            opt.Step();
            int row = e.Expected.Length == 1 ? (step == e.Steps - 1 ? 0 : -1) : step;
            if (row >= 0)
            {
                last = Compare.Close(Compare.ToDoubles(x), e.Expected[row], tolerance, e.DType, e.Start, $"x after step {step + 1}");
                if (last.Outcome != CaseOutcome.Passed)
                {
                    return last;
                }
            }
        }

        return last;
    }

    private static double[][] Each(params double[] values) => values.Select(v => new[] { v, v, v, v }).ToArray();
}
