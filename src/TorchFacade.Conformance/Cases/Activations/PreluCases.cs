using TorchFacade.Reference.Activations;

namespace TorchFacade.Conformance.Cases.Activations;

/// <summary>
/// PReLU with one shared weight and with one weight per channel (dim 1) vs LibTorch's <c>F.prelu</c>: forward, and
/// autograd backward for both the input and the weight (summed over every dimension but the channel one).
/// </summary>
internal sealed class PreluCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            foreach (ScalarType dtype in ActivationCheck.DTypes)
            {
                Tolerance tol = dtype switch
                {
                    ScalarType.Float16 => Tolerance.For(dtype).Widen(2e-3, 1e-2, "the weight gradient sums 2000+ products; LibTorch accumulates float16 products in its own order, the reference in double: a few ulp of the sum"),
                    ScalarType.BFloat16 => Tolerance.For(dtype).Widen(3.2e-2, 1e-1, "the weight gradient sums 2000+ products; LibTorch accumulates bfloat16 products in its own order, the reference in double"),
                    ScalarType.Float32 => Tolerance.For(dtype).Widen(1e-5, 1e-4, "the weight gradient is a float32 sum of 2000+ terms: LibTorch's and the reference's summation orders differ by a few ulp of the sum"),
                    _ => Tolerance.For(dtype),
                };
                foreach ((string shape, long[] dims, long weights) in new[] { ("shared", new long[] { 2033 }, 1L), ("channels", new long[] { 4, 3, 5, 7 }, 3L) })
                {
                    string dt = DTypeNames.Of(dtype);
                    long[] d = dims;
                    long w = weights;
                    bool edge = shape == "shared";
                    yield return CaseKit.Make(CaseGroup.Activations, $"activation/prelu-{shape}/{dt}/{device}/forward-backward", device, $"The reference PReLU ({w} weight(s)) equals LibTorch's F.prelu: forward, input gradient (w·g at 0) and weight gradient.", "reference vs LibTorch F.prelu and its autograd (input and weight)", () => Run(d, w, edge, dtype, device, tol), dtype, tol);
                }
            }
        }
    }

    private static CaseResult Run(long[] shape, long weights, bool edge, ScalarType dtype, string device, Tolerance tol)
    {
        Device dev = ConformanceDevices.Of(device);
        var x = edge ? ActivationInputs.EdgeTensor(dtype, dev) : ActivationInputs.Seeded(shape, 3, 2.0, dtype, dev);
        var weightValues = weights == 1 ? tensor(new[] { 0.25 }) : tensor(new[] { 0.25, -0.1, 0.6 });
        var w = weightValues.to(dtype, dev);
        var g = ActivationCheck.GradOutput(x, 4);

        var xr = x.detach().clone().requires_grad_(true);
        var wr = w.detach().clone().requires_grad_(true);
        var yr = PReLU.Apply(xr, wr);
        yr.backward([g]);

        var xl = x.detach().clone().requires_grad_(true);
        var wl = w.detach().clone().requires_grad_(true);
        var yl = nn.functional.prelu(xl, wl);
        yl.backward([g]);

        var forward = Compare.Close(yr, yl, tol, x, "forward");
        if (forward.Outcome != CaseOutcome.Passed)
        {
            return forward;
        }

        var dx = Compare.Close(xr.grad!, xl.grad!, tol, x, "input gradient");
        return ActivationCheck.Both(dx, () => Compare.Close(wr.grad!, wl.grad!, tol, null, "weight gradient"));
    }
}
