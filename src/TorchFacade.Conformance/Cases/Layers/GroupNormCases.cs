using ReferenceGroupNorm = TorchFacade.Reference.Layers.GroupNorm;

namespace TorchFacade.Conformance.Cases.Layers;

/// <summary>
/// The from-scratch GroupNorm (analytic backward) vs LibTorch's <c>F.group_norm</c> and its autograd, for several group
/// counts (G = 1 is LayerNorm over (C, *), G = C is InstanceNorm), with and without affine parameters; and the E.4 example.
/// </summary>
internal sealed class GroupNormCases : ICaseSource
{
    private static readonly (long Groups, bool Affine, string Name)[] Configs = [(3, true, "g=3,affine"), (1, true, "g=1,affine"), (6, false, "g=6,no-affine")];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            foreach (ScalarType dtype in LayerCaseKit.FloatTypes)
            {
                foreach ((long groups, bool affine, string name) in Configs)
                {
                    yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("group-norm", name, DTypeNames.Of(dtype), device), device, $"GroupNorm({name}): y = (x − E[x])/√(Var[x] + eps)·γ + β per sample and group (biased variance); dx, dγ, dβ by the analytic backward", "reference (custom autograd function) vs LibTorch F.group_norm (forward, autograd)", () => VsLibTorch(groups, affine, dtype, ConformanceDevices.Of(device)), dtype, Tol(dtype));
                }
            }
        }

        foreach (string device in ConformanceDevices.All)
        {
            yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("group-norm", "e4-example", "float64", device), device, "E.4: x = [[1,2],[3,4],[0,0],[0,4]], G = 2 gives y = [[−1.341635, −0.4472118], [0.4472118, 1.341635], [−0.5773493, −0.5773493], [−0.5773493, 1.732048]]; with γ = [1,2,0.5,−1], β = [0,1,−1,0.5]: y[1] = [1.894424, 3.683271], y[2] = [−1.288675, −1.288675], y[3] = [1.077349, −1.232048]", "reference and LibTorch vs the worked example (7 significant digits)", () => E4Example(ConformanceDevices.Of(device)), ScalarType.Float64, new Tolerance(1e-6, 1e-6, "the worked example is printed to 7 significant digits"));
        }
    }

    private static Tolerance Tol(ScalarType dtype) => dtype == ScalarType.Float32
        ? Tolerance.For(dtype).Widen(1e-5, 2e-5, "LibTorch's CPU kernel accumulates the group moments and the backward sums (over 40-120 elements) in a different order and precision")
        : Tolerance.For(dtype);

    private static CaseResult VsLibTorch(long groups, bool affine, ScalarType dtype, Device device)
    {
        Tensor x1 = (LayerCaseKit.Randn(71, dtype, device, 4, 6, 5, 4) * 3.0 + 1.5).requires_grad_();
        Tensor x2 = x1.detach().clone().requires_grad_();
        Tensor? w1 = affine ? LayerCaseKit.Randn(72, dtype, device, 6).requires_grad_() : null;
        Tensor? b1 = affine ? LayerCaseKit.Randn(73, dtype, device, 6).requires_grad_() : null;
        Tensor? w2 = w1?.detach().clone().requires_grad_();
        Tensor? b2 = b1?.detach().clone().requires_grad_();
        Tensor g = LayerCaseKit.Randn(74, dtype, device, 4, 6, 5, 4);

        Tensor actual = ReferenceGroupNorm.Functional(x1, groups, w1, b1);
        Tensor expected = nn.functional.group_norm(x2, groups, w2, b2, 1e-5);
        actual.backward([g]);
        expected.backward([g]);
        Tolerance tol = Tol(dtype);
        var parts = new List<(string, CaseResult)>
        {
            ("forward", Compare.Close(actual, expected, tol, what: "forward")),
            ("dx", Compare.Close(x1.grad!, x2.grad!, tol, what: "dx")),
        };
        if (affine)
        {
            parts.Add(("dγ", Compare.Close(w1!.grad!, w2!.grad!, tol, what: "dγ")));
            parts.Add(("dβ", Compare.Close(b1!.grad!, b2!.grad!, tol, what: "dβ")));
        }

        return LayerCaseKit.Combine([.. parts]);
    }

    private static CaseResult E4Example(Device device)
    {
        Tensor x = torch.tensor(new double[] { 1, 2, 3, 4, 0, 0, 0, 4 }, device: device).reshape(1, 4, 2);
        double[] plain = [-1.341635, -0.4472118, 0.4472118, 1.341635, -0.5773493, -0.5773493, -0.5773493, 1.732048];
        Tensor gamma = torch.tensor(new double[] { 1, 2, 0.5, -1 }, device: device);
        Tensor beta = torch.tensor(new double[] { 0, 1, -1, 0.5 }, device: device);
        double[] affine = [-1.341635, -0.4472118, 1.894424, 3.683271, -1.288675, -1.288675, 1.077349, -1.232048];
        var tol = new Tolerance(1e-6, 1e-6, "7 significant digits");
        using var module = new ReferenceGroupNorm(2, 4, device: device, dtype: ScalarType.Float64);
        return LayerCaseKit.Combine(
            ("reference module (γ=1, β=0)", Compare.Close(Compare.ToDoubles(module.forward(x)), plain, tol, ScalarType.Float64, what: "y")),
            ("LibTorch", Compare.Close(Compare.ToDoubles(nn.functional.group_norm(x, 2)), plain, tol, ScalarType.Float64, what: "y")),
            ("reference affine", Compare.Close(Compare.ToDoubles(ReferenceGroupNorm.Functional(x, 2, gamma, beta)), affine, tol, ScalarType.Float64, what: "y")),
            ("LibTorch affine", Compare.Close(Compare.ToDoubles(nn.functional.group_norm(x, 2, gamma, beta)), affine, tol, ScalarType.Float64, what: "y")));
    }
}
