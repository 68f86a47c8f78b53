using TorchFacade.Reference.Layers;
using TorchSharp.Modules;

namespace TorchFacade.Conformance.Cases.Layers;

/// <summary>
/// The FFN blocks of the notes: <see cref="FeedForward"/> vs the same block built from LibTorch modules (Linear → ReLU/GELU →
/// Linear) and vs a scalar oracle in double; <see cref="GatedFeedForward"/> vs the double oracle, vs the "project once and
/// split" form (and <c>F.glu</c> for GLU, reference maths A.17), and its hand-written backward vs LibTorch's autograd.
/// </summary>
internal sealed class FeedForwardCases : ICaseSource
{
    private const long DModel = 6;
    private const long DHidden = 10;

    private static readonly (FeedForwardActivation Activation, string Name)[] Activations =
        [(FeedForwardActivation.ReLU, "relu"), (FeedForwardActivation.Gelu, "gelu"), (FeedForwardActivation.GeluTanh, "gelu-tanh")];

    private static readonly (GatedVariant Variant, string Name)[] Variants =
        [(GatedVariant.Glu, "glu"), (GatedVariant.Bilinear, "bilinear"), (GatedVariant.ReGlu, "reglu"), (GatedVariant.GeGlu, "geglu"), (GatedVariant.SwiGlu, "swiglu")];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            foreach (ScalarType dtype in LayerCaseKit.FloatTypes)
            {
                string dt = DTypeNames.Of(dtype);
                foreach ((FeedForwardActivation activation, string name) in Activations)
                {
                    yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("ffn", name, dt, device, "vs-libtorch"), device, $"FFN(x) = {name}(xW1 + b1)W2 + b2 equals nn.Linear → {name} → nn.Linear (forward and every gradient)", "reference vs LibTorch modules (forward, autograd)", () => FeedForwardVsLibTorch(activation, dtype, device), dtype, Tolerance.For(dtype));
                    yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("ffn", name, dt, device, "vs-oracle"), device, $"FFN(x) = {name}(xW1 + b1)W2 + b2, checked element by element in double", "reference vs scalar oracle (double)", () => FeedForwardVsOracle(activation, dtype, device), dtype, OracleTolerance(dtype));
                }

                foreach ((GatedVariant variant, string name) in Variants)
                {
                    yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("gated-ffn", name, dt, device, "vs-oracle"), device, $"{name}: out = (act(xW + b) ⊙ (xV + c))W2 + b2 with the activation on the W projection (Shazeer 2020)", "reference vs scalar oracle (double)", () => GatedVsOracle(variant, beta: 1.0, dtype, device), dtype, OracleTolerance(dtype));
                    yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("gated-ffn", name, dt, device, "split-identity"), device, variant == GatedVariant.Glu
                        ? "GLU block = F.glu(cat([xV + c, xW + b], -1)): F.glu gates with its second half (A.17)"
                        : $"{name} block = `h, gate = proj(x).chunk(2, -1); h * act(gate)` with proj = [V; W] (the gate is the second half)", "reference vs LibTorch kernels on the split projection", () => GatedVsSplitForm(variant, dtype, device), dtype, Tolerance.For(dtype));
                    yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("gated-ffn", name, dt, device, "backward"), device, $"{name}: the hand-written gradients of A.17 (dx, dW, db, dV, dc, dW2, db2) equal autograd's", "reference analytic backward vs LibTorch autograd", () => GatedBackward(variant, dtype, device), dtype, Tolerance.For(dtype));
                }

                yield return CaseKit.Make(CaseGroup.Layers, LayerCaseKit.Id("gated-ffn", "swiglu", "beta=1.5", dt, device, "vs-oracle"), device, "SwiGLU with Swish_β(z) = z·σ(βz), β = 1.5 (β ≠ 1 is not SiLU)", "reference vs scalar oracle (double)", () => GatedVsOracle(GatedVariant.SwiGlu, beta: 1.5, dtype, device), dtype, OracleTolerance(dtype));
            }
        }
    }

    private static Tolerance OracleTolerance(ScalarType dtype) => dtype == ScalarType.Float32
        ? Tolerance.For(dtype).Widen(1e-5, 1e-5, "float32 matmuls accumulate ~10-term sums in float; the oracle sums the same float32 inputs in double")
        : Tolerance.For(dtype);

    private static CaseResult FeedForwardVsLibTorch(FeedForwardActivation activation, ScalarType dtype, string device)
    {
        Device dev = ConformanceDevices.Of(device);
        torch.manual_seed(11);
        using var block = new FeedForward(DModel, DHidden, activation, device: dev, dtype: dtype);
        using nn.Module<Tensor, Tensor> act = activation switch
        {
            FeedForwardActivation.ReLU => nn.ReLU(),
            FeedForwardActivation.Gelu => nn.GELU(),
            _ => nn.GELU(GELU.Approximate.tanh),
        };
        Tensor x1 = LayerCaseKit.Randn(21, dtype, dev, 4, 3, DModel).requires_grad_();
        Tensor x2 = x1.detach().clone().requires_grad_();
        Tensor g = LayerCaseKit.Randn(22, dtype, dev, 4, 3, DModel);

        Tensor actual = block.forward(x1);
        actual.backward([g]);
        Tensor[] actualGrads = [x1.grad!.clone(), block.W1.weight!.grad!.clone(), block.W1.bias!.grad!.clone(), block.W2.weight!.grad!.clone(), block.W2.bias!.grad!.clone()];
        block.zero_grad();

        Tensor expected = block.W2.forward(act.forward(block.W1.forward(x2)));
        expected.backward([g]);
        Tensor[] expectedGrads = [x2.grad!, block.W1.weight!.grad!, block.W1.bias!.grad!, block.W2.weight!.grad!, block.W2.bias!.grad!];
        Tolerance tol = Tolerance.For(dtype);
        string[] names = ["dx", "dW1", "db1", "dW2", "db2"];
        return LayerCaseKit.Combine(
            [("forward", Compare.Close(actual, expected, tol, what: "forward")),
             .. names.Select((n, i) => (n, Compare.Close(actualGrads[i], expectedGrads[i], tol, what: n)))]);
    }

    private static CaseResult FeedForwardVsOracle(FeedForwardActivation activation, ScalarType dtype, string device)
    {
        Device dev = ConformanceDevices.Of(device);
        torch.manual_seed(12);
        using var block = new FeedForward(DModel, DHidden, activation, device: dev, dtype: dtype);
        Tensor x = LayerCaseKit.Randn(23, dtype, dev, 5, DModel) * 2.0;
        Tensor actual;
        using (torch.no_grad())
        {
            actual = block.forward(x);
        }

        Func<double, double> f = activation switch
        {
            FeedForwardActivation.ReLU => LayerOracle.Relu,
            FeedForwardActivation.Gelu => LayerOracle.Gelu,
            _ => LayerOracle.GeluTanh,
        };
        double[] w1 = Compare.ToDoubles(block.W1.weight!), b1 = Compare.ToDoubles(block.W1.bias!);
        double[] w2 = Compare.ToDoubles(block.W2.weight!), b2 = Compare.ToDoubles(block.W2.bias!);
        double[] xs = Compare.ToDoubles(x);
        var expected = new List<double>();
        for (int row = 0; row < 5; row++)
        {
            double[] xr = xs.AsSpan(row * (int)DModel, (int)DModel).ToArray();
            double[] hidden = LayerOracle.Linear(xr, w1, b1, (int)DHidden).Select(f).ToArray();
            expected.AddRange(LayerOracle.Linear(hidden, w2, b2, (int)DModel));
        }

        return Compare.Close(Compare.ToDoubles(actual), [.. expected], OracleTolerance(dtype), dtype, what: "forward");
    }

    private static GatedFeedForward Gated(GatedVariant variant, double beta, ScalarType dtype, Device dev, long seed)
    {
        torch.manual_seed(seed);
        return new GatedFeedForward(DModel, DHidden, variant, bias: true, beta: beta, device: dev, dtype: dtype);
    }

    private static CaseResult GatedVsOracle(GatedVariant variant, double beta, ScalarType dtype, string device)
    {
        Device dev = ConformanceDevices.Of(device);
        using GatedFeedForward block = Gated(variant, beta, dtype, dev, 13);
        Tensor x = LayerCaseKit.Randn(24, dtype, dev, 5, DModel) * 2.0;
        Tensor actual;
        using (torch.no_grad())
        {
            actual = block.forward(x);
        }

        Func<double, double> act = variant switch
        {
            GatedVariant.Glu => LayerOracle.Sigmoid,
            GatedVariant.Bilinear => z => z,
            GatedVariant.ReGlu => LayerOracle.Relu,
            GatedVariant.GeGlu => LayerOracle.Gelu,
            _ => z => z * LayerOracle.Sigmoid(beta * z),
        };
        double[] w = Compare.ToDoubles(block.W.weight!), b = Compare.ToDoubles(block.W.bias!);
        double[] v = Compare.ToDoubles(block.V.weight!), c = Compare.ToDoubles(block.V.bias!);
        double[] w2 = Compare.ToDoubles(block.W2.weight!), b2 = Compare.ToDoubles(block.W2.bias!);
        double[] xs = Compare.ToDoubles(x);
        var expected = new List<double>();
        for (int row = 0; row < 5; row++)
        {
            double[] xr = xs.AsSpan(row * (int)DModel, (int)DModel).ToArray();
            double[] a = LayerOracle.Linear(xr, w, b, (int)DHidden);
            double[] u = LayerOracle.Linear(xr, v, c, (int)DHidden);
            double[] h = a.Select((ai, k) => act(ai) * u[k]).ToArray();
            expected.AddRange(LayerOracle.Linear(h, w2, b2, (int)DModel));
        }

        return Compare.Close(Compare.ToDoubles(actual), [.. expected], OracleTolerance(dtype), dtype, what: "forward");
    }

    private static CaseResult GatedVsSplitForm(GatedVariant variant, ScalarType dtype, string device)
    {
        Device dev = ConformanceDevices.Of(device);
        using GatedFeedForward block = Gated(variant, 1.0, dtype, dev, 14);
        Tensor x = LayerCaseKit.Randn(25, dtype, dev, 3, 4, DModel) * 2.0;
        using var noGrad = torch.no_grad();
        Tensor actual = block.Hidden(x);

        // proj = [V; W]: the value half first, the gate half second.
        Tensor projWeight = torch.cat([block.V.weight!, block.W.weight!], 0);
        Tensor projBias = torch.cat([block.V.bias!, block.W.bias!], 0);
        Tensor projected = nn.functional.linear(x, projWeight, projBias);
        Tensor expected;
        if (variant == GatedVariant.Glu)
        {
            expected = nn.functional.glu(projected, -1);
        }
        else
        {
            Tensor[] halves = projected.chunk(2, -1);
            Tensor gate = halves[1];
            Tensor activated = variant switch
            {
                GatedVariant.Bilinear => gate,
                GatedVariant.ReGlu => nn.functional.relu(gate),
                GatedVariant.GeGlu => nn.functional.gelu(gate),
                _ => nn.functional.silu(gate),
            };
            expected = halves[0] * activated;
        }

        return Compare.Close(actual, expected, Tolerance.For(dtype), what: "hidden");
    }

    private static CaseResult GatedBackward(GatedVariant variant, ScalarType dtype, string device)
    {
        Device dev = ConformanceDevices.Of(device);
        using GatedFeedForward block = Gated(variant, 1.0, dtype, dev, 15);
        Tensor x = (LayerCaseKit.Randn(26, dtype, dev, 3, 4, DModel) * 2.0).requires_grad_();
        Tensor g = LayerCaseKit.Randn(27, dtype, dev, 3, 4, DModel);
        GatedFeedForwardGradients hand = block.Gradients(x.detach(), g);
        block.forward(x).backward([g]);
        Tolerance tol = Tolerance.For(dtype);
        return LayerCaseKit.Combine(
            ("dx", Compare.Close(hand.Input, x.grad!, tol, what: "dx")),
            ("dW", Compare.Close(hand.W, block.W.weight!.grad!, tol, what: "dW")),
            ("db", Compare.Close(hand.B!, block.W.bias!.grad!, tol, what: "db")),
            ("dV", Compare.Close(hand.V, block.V.weight!.grad!, tol, what: "dV")),
            ("dc", Compare.Close(hand.C!, block.V.bias!.grad!, tol, what: "dc")),
            ("dW2", Compare.Close(hand.W2, block.W2.weight!.grad!, tol, what: "dW2")),
            ("db2", Compare.Close(hand.B2!, block.W2.bias!.grad!, tol, what: "db2")));
    }
}
