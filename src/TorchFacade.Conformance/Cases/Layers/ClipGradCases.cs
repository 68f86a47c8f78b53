using TorchFacade.Reference.Layers;
using TorchSharp.Modules;

namespace TorchFacade.Conformance.Cases.Layers;

/// <summary>
/// Gradient clipping: the reference <see cref="ClipGrad"/> vs TorchSharp's <c>nn.utils.clip_grad_norm_</c> /
/// <c>clip_grad_value_</c> (LibTorch's implementation) — returned total norm and clipped gradients — for p = 1, 2, 3, ∞,
/// above and below the threshold; plus a hand check and the skipping of parameters without a gradient.
/// </summary>
internal sealed class ClipGradCases : ICaseSource
{
    private static readonly (double P, string Name)[] Norms = [(2, "p=2"), (1, "p=1"), (3, "p=3"), (double.PositiveInfinity, "p=inf")];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            foreach ((double p, string name) in Norms)
            {
                foreach ((double maxNorm, string which) in new[] { (1.0, "above-max"), (1e4, "below-max") })
                {
                    yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("clip-grad-norm", name, which, "float32", device), device, $"clip_grad_norm_(max_norm={maxNorm}, norm_type={name[2..]}): total = ‖(‖g_i‖)‖; grads × min(1, max_norm/(total + 1e-6)); returns the total", "reference vs TorchSharp's clip_grad_norm_ (LibTorch)", () => NormCase(p, maxNorm, ConformanceDevices.Of(device)), ScalarType.Float32, Tolerance.For(ScalarType.Float32));
                }
            }

            yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("clip-grad-value", "float32", device), device, "clip_grad_value_(0.5) clamps every gradient element to [−0.5, 0.5]", "reference vs TorchSharp's clip_grad_value_ and a hand clamp", () => ValueCase(ConformanceDevices.Of(device)), ScalarType.Float32, Tolerance.Exact("clamping is exact"));
        }

        foreach (string device in ConformanceDevices.All)
        {
            yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("clip-grad-norm", "hand-check", "float64", device), device, "grads [3, 4] and [0] (p=2, max_norm=1): total 5, grads become [3, 4]/(5 + 1e-6); a parameter whose grad is None is skipped", "reference vs hand-computed values", () => HandCheck(ConformanceDevices.Of(device)), ScalarType.Float64, Tolerance.For(ScalarType.Float64));
        }
    }

    private static (List<Tensor> Plain, List<Parameter> Parameters) TwoCopies(Device device)
    {
        long[][] shapes = [[4, 3], [5], [2, 2, 3]];
        var plain = new List<Tensor>();
        var parameters = new List<Parameter>();
        ulong seed = 80;
        foreach (long[] shape in shapes)
        {
            Tensor grad = LayerCaseKit.Randn(seed++, ScalarType.Float32, device, shape) * 2.0;
            Tensor t = torch.zeros(shape, device: device).requires_grad_();
            t.grad = grad.clone();
            var p = new Parameter(torch.zeros(shape, device: device));
            p.grad = grad.clone();
            plain.Add(t);
            parameters.Add(p);
        }

        return (plain, parameters);
    }

    private static CaseResult NormCase(double p, double maxNorm, Device device)
    {
        (List<Tensor> plain, List<Parameter> parameters) = TwoCopies(device);
        double referenceTotal = ClipGrad.Norm(plain, maxNorm, p);
        double libtorchTotal = nn.utils.clip_grad_norm_(parameters, maxNorm, p);
        Tolerance tol = Tolerance.For(ScalarType.Float32);
        var parts = new List<(string, CaseResult)>
        {
            ("total norm", Compare.Close([referenceTotal], [libtorchTotal], tol, ScalarType.Float32, what: "total norm")),
        };
        for (int i = 0; i < plain.Count; i++)
        {
            parts.Add(($"grad {i}", Compare.Close(plain[i].grad!, parameters[i].grad!, tol, what: "clipped grad")));
        }

        return LayerCaseKit.Combine([.. parts]);
    }

    private static CaseResult ValueCase(Device device)
    {
        (List<Tensor> plain, List<Parameter> parameters) = TwoCopies(device);
        Tensor[] original = plain.Select(t => t.grad!.clone()).ToArray();
        ClipGrad.Value(plain, 0.5);
        nn.utils.clip_grad_value_(parameters, 0.5);
        var parts = new List<(string, CaseResult)>();
        for (int i = 0; i < plain.Count; i++)
        {
            double[] hand = Compare.ToDoubles(original[i]).Select(v => Math.Clamp(v, -0.5, 0.5)).ToArray();
            parts.Add(($"grad {i} vs LibTorch", Compare.Close(plain[i].grad!, parameters[i].grad!, Tolerance.Exact("clamp"), what: "grad")));
            parts.Add(($"grad {i} vs hand", Compare.Close(Compare.ToDoubles(plain[i].grad!), hand, Tolerance.Exact("clamp"), ScalarType.Float32, what: "grad")));
        }

        return LayerCaseKit.Combine([.. parts]);
    }

    private static CaseResult HandCheck(Device device)
    {
        Tensor a = torch.zeros(2, dtype: ScalarType.Float64, device: device).requires_grad_();
        a.grad = torch.tensor(new double[] { 3, 4 }, device: device);
        Tensor b = torch.zeros(1, dtype: ScalarType.Float64, device: device).requires_grad_();
        b.grad = torch.tensor(new double[] { 0 }, device: device);
        Tensor noGrad = torch.zeros(3, dtype: ScalarType.Float64, device: device).requires_grad_();
        double total = ClipGrad.Norm([a, noGrad, b], 1.0);
        double scale = 1.0 / (5 + 1e-6);
        Tolerance tol = Tolerance.For(ScalarType.Float64);
        return LayerCaseKit.Combine(
            ("total", Compare.Close([total], [5.0], tol, ScalarType.Float64, what: "total")),
            ("a.grad", Compare.Close(Compare.ToDoubles(a.grad!), [3 * scale, 4 * scale], tol, ScalarType.Float64, what: "a.grad")),
            ("b.grad", Compare.Close(Compare.ToDoubles(b.grad!), [0.0], tol, ScalarType.Float64, what: "b.grad")),
            ("grad None stays None", CaseResult.Check(noGrad.grad is null, "a parameter without a grad got one")));
    }
}
