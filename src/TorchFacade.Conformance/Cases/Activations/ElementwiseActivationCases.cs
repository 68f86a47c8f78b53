namespace TorchFacade.Conformance.Cases.Activations;

/// <summary>
/// Forward and backward of every element-wise reference activation vs LibTorch (its functional kernel and autograd,
/// or autograd of a LibTorch composition where it has no kernel) and vs the scalar oracle in double, on the edge
/// values and dense sweep of conformance.md, per dtype and device; plus large seeded tensors, non-contiguous and
/// 0-d/empty inputs, and a float64 finite-difference gradient check.
/// </summary>
internal sealed class ElementwiseActivationCases : ICaseSource
{
    private const int LargeElements = 1 << 20;

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (ActivationSpec spec in ActivationSpecs.All)
        {
            foreach (string device in ConformanceDevices.All)
            {
                foreach (ScalarType dtype in ActivationCheck.DTypes)
                {
                    string prefix = $"activation/{spec.Id}/{DTypeNames.Of(dtype)}/{device}";
                    Tolerance tol = Tolerance.For(dtype);
                    string against = spec.HasLibTorchKernel ? "LibTorch kernel " + spec.LibTorchDescription : "LibTorch composition " + spec.LibTorchDescription;
                    yield return CaseKit.Make(CaseGroup.Activations, prefix + "/forward", device, $"The reference {spec.Id} forward equals {spec.LibTorchDescription} on the edge values and a dense sweep over [-10, 10].", "reference vs " + against, () => Forward(spec, dtype, device, ForwardTolerance(dtype)), dtype, ForwardTolerance(dtype));
                    yield return CaseKit.Make(CaseGroup.Activations, prefix + "/backward", device, $"The reference {spec.Id} analytic backward equals LibTorch autograd of {spec.LibTorchDescription}, kinks included.", "reference analytic backward vs LibTorch autograd", () => Backward(spec, dtype, device, BackwardTolerance(spec, dtype)), dtype, BackwardTolerance(spec, dtype));
                    {
                        Tolerance oracleTol = tol;
                        yield return CaseKit.Make(CaseGroup.Activations, prefix + "/oracle", device, $"The reference {spec.Id} forward and backward equal its scalar definition and derivative evaluated in double (finite inputs).", "reference vs scalar oracle (double)", () => Oracle(spec, dtype, device, oracleTol), dtype, oracleTol);
                    }
                }

                yield return CaseKit.Make(CaseGroup.Activations, $"activation/{spec.Id}/float32/{device}/large", device, $"On a 2^20-element seeded tensor (vectorized paths, tails and the parallel split) the reference {spec.Id} forward and backward equal LibTorch's.", "reference vs LibTorch (forward and autograd backward)", () => Large(spec, device), ScalarType.Float32, Tolerance.For(ScalarType.Float32));
                yield return CaseKit.Make(CaseGroup.Activations, $"activation/{spec.Id}/float32/{device}/shapes", device, $"The reference {spec.Id} handles non-contiguous (transposed, strided), 0-d and empty inputs like LibTorch, forward and backward.", "reference vs LibTorch on non-contiguous, 0-d and empty tensors", () => Shapes(spec, device), ScalarType.Float32, Tolerance.For(ScalarType.Float32));
            }

            foreach (string device in ConformanceDevices.All)
            {
                yield return CaseKit.Make(CaseGroup.Activations, $"activation/{spec.Id}/float64/{device}/gradcheck", device, $"The reference {spec.Id} backward passes a finite-difference gradient check in float64 (eps 1e-6, atol 1e-5, rtol 1e-3), away from kinks.", "reference analytic backward vs central differences (GradCheck)", () => GradCheckCase(spec, device), ScalarType.Float64, new Tolerance(Testing.GradCheck.DefaultRtol, Testing.GradCheck.DefaultAtol, "torch.autograd.gradcheck defaults"));
            }
        }
    }

    /// <summary>
    /// LibTorch's float16/bfloat16 CPU backward kernels round some intermediates to the reduced type (e.g. sigmoid's
    /// (1 − y)·y·g, mish's t + x·σ·(1 − t²), which cancels where the derivative crosses zero); the reference computes
    /// in float32 and rounds once (the "oracle" case of the same dtype shows it within the default tolerance of the
    /// truth). So against LibTorch the reduced dtypes get an absolute slack of 4 ulp at magnitude 1.
    /// </summary>
    private static Tolerance ForwardTolerance(ScalarType dtype) => dtype == ScalarType.Float16
        ? Tolerance.For(dtype).Widen(2e-3, 1e-5, "LibTorch's float16 CPU kernels round some intermediates to float16 (e.g. mish); the reference rounds once: 2 ulp")
        : Tolerance.For(dtype);

    private static Tolerance BackwardTolerance(ActivationSpec spec, ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => Tolerance.For(dtype).Widen(2e-3, 4e-3, "LibTorch's float16 backward rounds intermediates to float16; the reference rounds once (4 ulp at 1)"),
        ScalarType.BFloat16 => Tolerance.For(dtype).Widen(3.2e-2, 3.2e-2, "LibTorch's bfloat16 backward rounds intermediates to bfloat16; the reference rounds once (4 ulp at 1)"),
        _ => Tolerance.For(dtype),
    };

    private static CaseResult Forward(ActivationSpec spec, ScalarType dtype, string device, Tolerance tol)
    {
        var x = ActivationInputs.EdgeTensor(dtype, ConformanceDevices.Of(device));
        var actual = ActivationCheck.Forward(spec.Create(), x);
        var expected = ActivationCheck.LibTorchAt(spec, dtype)(x);
        if (spec.Id == "gelu-none" && dtype != ScalarType.Float64 && device == "cpu")
        {
            return ActivationCheck.GeluAtInfinity(x, actual, expected, tol, "LibTorch");
        }

        return Compare.Close(actual, expected, tol, x, "forward");
    }

    private static CaseResult Backward(ActivationSpec spec, ScalarType dtype, string device, Tolerance tol)
    {
        var x = ActivationInputs.EdgeTensor(dtype, ConformanceDevices.Of(device));
        var g = ActivationCheck.GradOutput(x);
        var module = spec.Create();
        var actual = ActivationCheck.GradOf(t => module.call(t), x, g);
        var expected = ActivationCheck.GradOf(ActivationCheck.LibTorchAt(spec, dtype), x, g);
        return Compare.Close(actual, expected, tol, x, "backward");
    }

    private static CaseResult Oracle(ActivationSpec spec, ScalarType dtype, string device, Tolerance tol)
    {
        var x = ActivationInputs.EdgeTensor(dtype, ConformanceDevices.Of(device));
        var module = spec.Create();
        var y = ActivationCheck.Forward(module, x);
        var g = ActivationCheck.GradOutput(x);
        var dx = ActivationCheck.GradOf(t => module.call(t), x, g);
        var forward = ActivationCheck.ForwardVsOracle(x, y, module.Value, tol);
        if (module.BackwardUsesOutput && dtype is ScalarType.Float16 or ScalarType.BFloat16)
        {
            // The backward is the derivative at the *rounded* output (as in LibTorch), so the truth at x is not its
            // target in reduced precision; /backward compares it with LibTorch.
            return forward with { Message = "forward only: in reduced precision the backward uses the rounded output y, as LibTorch does" };
        }

        return ActivationCheck.Both(forward, () => ActivationCheck.BackwardVsOracle(x, g, dx, module.Derivative, tol));
    }

    private static CaseResult Large(ActivationSpec spec, string device)
    {
        var tol = Tolerance.For(ScalarType.Float32);
        var x = ActivationInputs.Seeded([LargeElements + 37], 11, 4.0, ScalarType.Float32, ConformanceDevices.Of(device));
        var g = ActivationCheck.GradOutput(x, 12);
        var module = spec.Create();
        var forward = Compare.Close(ActivationCheck.Forward(module, x), spec.LibTorch(x), tol, x, "forward");
        return ActivationCheck.Both(forward, () =>
            Compare.Close(ActivationCheck.GradOf(t => module.call(t), x, g), ActivationCheck.GradOf(spec.LibTorch, x, g), tol, x, "backward"));
    }

    private static CaseResult Shapes(ActivationSpec spec, string device)
    {
        var tol = Tolerance.For(ScalarType.Float32);
        var dev = ConformanceDevices.Of(device);
        var module = spec.Create();
        var baseTensor = ActivationInputs.Seeded([6, 10], 21, 3.0, ScalarType.Float32, dev);
        Tensor[] inputs =
        [
            baseTensor.t(),                                              // transposed
            baseTensor[TensorIndex.Slice(null, null, 2), TensorIndex.Slice(1, null, 3)], // strided slice
            tensor(-0.75f).to(dev),                                      // 0-d
            empty([0, 3], ScalarType.Float32, dev),                      // empty
        ];
        string[] names = ["transposed", "strided", "0-d", "empty"];
        var passed = new List<CaseResult>();
        for (int i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            var y = ActivationCheck.Forward(module, x);
            var f = Compare.Close(y, spec.LibTorch(x), tol, x, names[i] + " forward");
            if (f.Outcome != CaseOutcome.Passed)
            {
                return f;
            }

            var g = ActivationCheck.GradOutput(x, 30 + i);
            var b = Compare.Close(ActivationCheck.GradOf(t => module.call(t), x, g), ActivationCheck.GradOf(spec.LibTorch, x, g), tol, x, names[i] + " backward");
            if (b.Outcome != CaseOutcome.Passed)
            {
                return b;
            }

            passed.Add(f);
            passed.Add(b);
        }

        // Report the worst figures over the four shapes.
        return passed.MaxBy(r => r.Figures?.MaxAbsError ?? 0)! with { Message = "transposed, strided, 0-d and empty: forward and backward" };
    }

    private static CaseResult GradCheckCase(ActivationSpec spec, string device)
    {
        // Points away from kinks (0) and thresholds, where central differences are valid.
        double[] points = [-4.2, -3, -1.3, -0.7, -0.2, 0.15, 0.5, 0.9, 1.7, 3.1, 5.3];
        var x = tensor(points, ScalarType.Float64).to(ConformanceDevices.Of(device)).requires_grad_(true);
        var module = spec.Create();
        module.to(ConformanceDevices.Of(device));
        var result = Testing.GradCheck.Run(t => module.call(t), x);
        var figures = new Figures(result.MaxAbsError, result.MaxRelError, null, result.Entries);
        return result.Passed ? CaseResult.Pass(figures) : CaseResult.Fail("gradcheck: " + result.FirstMismatch, figures);
    }
}
