using TorchFacade.Reference.Activations;

namespace TorchFacade.Conformance.Cases.Activations;

/// <summary>
/// Softmax, LogSoftmax (along every dimension, size-1 dimensions included, negative dims too) and GLU (along every
/// dimension) vs LibTorch's <c>F.softmax</c>/<c>F.log_softmax</c>/<c>F.glu</c> and their autograd, per dtype and device;
/// softmax vs a double oracle written out here; rows that are all −∞ or hold +∞; a 2^20-element case.
/// </summary>
internal sealed class DimActivationCases : ICaseSource
{
    private static readonly long[] Shape = [3, 1, 4, 5];
    private static readonly long[] GluShape = [4, 6, 2, 8];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            foreach (ScalarType dtype in ActivationCheck.DTypes)
            {
                string dt = DTypeNames.Of(dtype);
                Tolerance tol = ToleranceFor(dtype);
                foreach (long dim in new long[] { 0, 1, 2, 3, -1 })
                {
                    foreach ((string name, Func<long, nn.Module<Tensor, Tensor>> create, Func<Tensor, long, Tensor> lib) in Functions())
                    {
                        long d = dim;
                        yield return CaseKit.Make(CaseGroup.Activations, $"activation/{name}/{dt}/{device}/dim={dim}", device, $"The reference {name} along dim {dim} of a [3, 1, 4, 5] tensor equals LibTorch's F.{name.Replace('-', '_')}, forward and autograd backward.", $"reference vs LibTorch F.{name.Replace('-', '_')} and its autograd", () => Run(create(d), x => lib(x, d), Shape, dtype, device, tol), dtype, tol);
                    }
                }

                foreach (long dim in new long[] { 0, 1, 2, 3, -1 })
                {
                    long d = dim;
                    yield return CaseKit.Make(CaseGroup.Activations, $"activation/glu/{dt}/{device}/dim={dim}", device, $"The reference GLU along dim {dim} of a [4, 6, 2, 8] tensor equals LibTorch's F.glu (second half is the gate), forward and autograd backward.", "reference vs LibTorch F.glu and its autograd", () => Run(new GLU(d), x => nn.functional.glu(x, d), GluShape, dtype, device, tol), dtype, tol);
                }
            }

            yield return CaseKit.Make(CaseGroup.Activations, $"activation/softmax/float32/{device}/inf-rows", device, "A softmax row that is all -inf, or holds +inf, gives NaN as in LibTorch; a row with -inf entries gives them probability 0.", "reference vs LibTorch F.softmax / F.log_softmax", () => InfRows(device), ScalarType.Float32, Tolerance.For(ScalarType.Float32));
            yield return CaseKit.Make(CaseGroup.Activations, $"activation/softmax/float32/{device}/large", device, "On a 1024 x 1025 seeded tensor, softmax and log_softmax along dim 0 and dim 1 equal LibTorch's, forward and backward.", "reference vs LibTorch F.softmax / F.log_softmax and autograd", () => Large(device), ScalarType.Float32, Tolerance.For(ScalarType.Float32));
            yield return CaseKit.Make(CaseGroup.Activations, $"activation/softmax/float64/{device}/oracle", device, "Softmax, log_softmax and their backward equal the definitions evaluated in double (y = e/Σe, dx = y(g − Σgy); log: x − m − log Σ, dx = g − e^y Σg).", "reference vs scalar oracle (double)", () => Oracle(device), ScalarType.Float64, Tolerance.For(ScalarType.Float64));
        }
    }

    private static IEnumerable<(string Name, Func<long, nn.Module<Tensor, Tensor>> Create, Func<Tensor, long, Tensor> LibTorch)> Functions()
    {
        yield return ("softmax", d => new Softmax(d), (x, d) => nn.functional.softmax(x, d));
        yield return ("log-softmax", d => new LogSoftmax(d), (x, d) => nn.functional.log_softmax(x, d));
    }

    private static Tolerance ToleranceFor(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => Tolerance.For(dtype).Widen(2e-3, 2e-3, "LibTorch's float16 kernels round intermediates (sums, dot products) to float16; the reference accumulates in float32 and rounds once"),
        ScalarType.BFloat16 => Tolerance.For(dtype).Widen(3.2e-2, 1.6e-2, "LibTorch's bfloat16 kernels round intermediates to bfloat16; the reference accumulates in float32 and rounds once"),
        _ => Tolerance.For(dtype),
    };

    private static CaseResult Run(nn.Module<Tensor, Tensor> module, Func<Tensor, Tensor> lib, long[] shape, ScalarType dtype, string device, Tolerance tol)
    {
        var x = ActivationInputs.Seeded(shape, 5, 3.0, dtype, ConformanceDevices.Of(device));
        var forward = Compare.Close(ActivationCheck.Forward(module, x), lib(x), tol, x, "forward");
        if (forward.Outcome != CaseOutcome.Passed)
        {
            return forward;
        }

        var y = lib(x);
        var g = ActivationCheck.GradOutput(y, 6);
        return Compare.Close(ActivationCheck.GradOf(t => module.call(t), x, g), ActivationCheck.GradOf(lib, x, g), tol, x, "backward");
    }

    private static CaseResult InfRows(string device)
    {
        float inf = float.PositiveInfinity;
        var x = tensor(new float[,] { { -inf, -inf, -inf }, { 1, inf, 2 }, { -inf, 0, 1 }, { 1, 2, 3 } }).to(ConformanceDevices.Of(device));
        var tol = Tolerance.For(ScalarType.Float32);
        var soft = Compare.Close(ActivationCheck.Forward(new Softmax(1), x), nn.functional.softmax(x, 1), tol, x, "softmax");
        return ActivationCheck.Both(soft, () => Compare.Close(ActivationCheck.Forward(new LogSoftmax(1), x), nn.functional.log_softmax(x, 1), tol, x, "log_softmax"));
    }

    private static CaseResult Large(string device)
    {
        var tol = Tolerance.For(ScalarType.Float32);
        CaseResult last = CaseResult.Pass();
        foreach (long dim in new long[] { 0, 1 })
        {
            foreach ((string _, Func<long, nn.Module<Tensor, Tensor>> create, Func<Tensor, long, Tensor> lib) in Functions())
            {
                last = Run(create(dim), x => lib(x, dim), [1024, 1025], ScalarType.Float32, device, tol);
                if (last.Outcome != CaseOutcome.Passed)
                {
                    return last;
                }
            }
        }

        return last;
    }

    private static CaseResult Oracle(string device)
    {
        var x = ActivationInputs.Seeded([4, 7], 9, 4.0, ScalarType.Float64, ConformanceDevices.Of(device));
        var g = ActivationCheck.GradOutput(x, 10);
        double[] xs = Compare.ToDoubles(x), gs = Compare.ToDoubles(g);
        var soft = new double[xs.Length];
        var logSoft = new double[xs.Length];
        var dSoft = new double[xs.Length];
        var dLog = new double[xs.Length];
        for (int r = 0; r < 4; r++)
        {
            var row = xs.AsSpan(r * 7, 7);
            double m = double.NegativeInfinity;
            foreach (double v in row)
            {
                m = Math.Max(m, v);
            }

            double sum = 0;
            foreach (double v in row)
            {
                sum += Math.Exp(v - m);
            }

            double dot = 0, gsum = 0;
            for (int c = 0; c < 7; c++)
            {
                int i = (r * 7) + c;
                soft[i] = Math.Exp(xs[i] - m) / sum;
                logSoft[i] = xs[i] - m - Math.Log(sum);
                dot += gs[i] * soft[i];
                gsum += gs[i];
            }

            for (int c = 0; c < 7; c++)
            {
                int i = (r * 7) + c;
                dSoft[i] = soft[i] * (gs[i] - dot);
                dLog[i] = gs[i] - (Math.Exp(logSoft[i]) * gsum);
            }
        }

        var tol = Tolerance.For(ScalarType.Float64);
        var results = new Func<CaseResult>[]
        {
            () => Compare.Close(Compare.ToDoubles(ActivationCheck.Forward(new Softmax(1), x)), soft, tol, ScalarType.Float64, xs, "softmax"),
            () => Compare.Close(Compare.ToDoubles(ActivationCheck.Forward(new LogSoftmax(1), x)), logSoft, tol, ScalarType.Float64, xs, "log_softmax"),
            () => Compare.Close(Compare.ToDoubles(ActivationCheck.GradOf(t => new Softmax(1).call(t), x, g)), dSoft, tol, ScalarType.Float64, xs, "softmax backward"),
            () => Compare.Close(Compare.ToDoubles(ActivationCheck.GradOf(t => new LogSoftmax(1).call(t), x, g)), dLog, tol, ScalarType.Float64, xs, "log_softmax backward"),
        };
        CaseResult last = CaseResult.Pass();
        foreach (var run in results)
        {
            last = run();
            if (last.Outcome != CaseOutcome.Passed)
            {
                return last;
            }
        }

        return last;
    }
}
