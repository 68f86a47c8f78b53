using static TorchFacade.Conformance.SemanticsCase;

namespace TorchFacade.Conformance;

/// <summary>Seed claims about autograd: the worked example, leaves and grad_fn, backward's rules, accumulation, detach.</summary>
internal sealed class SemanticsAutogradCases : ICaseSource
{
    private static readonly Tolerance Float32 = Tolerance.For(torch.ScalarType.Float32);

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() =>
    [
        .. PerDevice("autograd", "worked-example-grad-4.5", "x = ones(2,2) requiring grad; out = mean(3(x+2)^2); out.backward() gives x.grad = 1.5(x+2) = 4.5", LibTorchVsHandDerived, WorkedExample, torch.ScalarType.Float32, Float32),
        .. PerDevice("autograd", "leaf-and-grad-fn", "x is a leaf with grad_fn None; y = x + 2, z, out are not leaves and carry LibTorch's node names (AddBackward1/MulBackward1 for TorchSharp's scalar overloads, MeanBackward0)", FacadeVsPyTorch, LeafAndGradFn),
        .. PerDevice("autograd", "grad-fn-python-names", "with tensor constants (as Python makes them) the nodes are AddBackward0, MulBackward0, MeanBackward0, and gelu gives GeluBackward0", FacadeVsPyTorch, PythonNames),
        .. PerDevice("autograd", "backward-with-gradient", "a non-scalar y needs backward(v) with v shaped like y; x.grad = v * dy/dx", LibTorchVsHandDerived, BackwardWithGradient, torch.ScalarType.Float32, Float32),
        .. PerDevice("autograd", "backward-non-scalar-raises", "backward() on a non-scalar without a gradient raises 'grad can be implicitly created only for scalar outputs'", FacadeVsPyTorch, NonScalarRaises),
        .. PerDevice("autograd", "backward-without-requires-grad-raises", "backward() on a tensor that does not require grad raises a clear InvalidOperationException", FacadeVsPyTorch, NotRequiringGradRaises),
        .. PerDevice("autograd", "requires-grad-non-leaf-raises", "setting requires_grad on a non-leaf raises 'you can only change requires_grad flags of leaf variables'", FacadeVsPyTorch, NonLeafRaises),
        .. PerDevice("autograd", "requires-grad-in-place", "x.requires_grad_(True) on a leaf turns recording on for later ops", FacadeVsPyTorch, RequiresGradInPlace),
        .. PerDevice("autograd", "grad-accumulates", "each backward adds to .grad: three passes of the worked example give 4.5, 9, 13.5", LibTorchVsHandDerived, Accumulates, torch.ScalarType.Float32, Float32),
        .. PerDevice("autograd", "grad-data-zero", "x.grad.data.zero_() clears the gradient in place; the next backward gives 4.5 again", LibTorchVsHandDerived, GradZero, torch.ScalarType.Float32, Float32),
        .. PerDevice("autograd", "second-backward-raises", "a second backward through a freed graph raises a clear exception (retain_graph=True avoids it)", FacadeVsPyTorch, SecondBackward),
        .. PerDevice("autograd", "detach-shares-storage", "detach() shares memory with its source but is outside the graph", FacadeVsPyTorch, DetachShares),
        .. PerDevice("autograd", "manual-sgd-step-0.55", "x -= lr * x.grad under no_grad with lr = 0.1 after the worked example gives 0.55", LibTorchVsHandDerived, ManualStep, torch.ScalarType.Float32, Float32),
    ];

    private static (torch.Tensor X, torch.Tensor Y, torch.Tensor Z, torch.Tensor Out) Example(torch.Device device)
    {
        var x = torch.ones(2, 2, device: device);
        x.RequiresGrad = true;
        var y = x + 2;
        var z = y * y * 3;
        return (x, y, z, z.mean());
    }

    private static double[] Oracle(torch.Tensor x, double times = 1) =>
        [.. Values(x.Detach()).Select(xi => times * 0.25 * 6 * (xi + 2) * 1)];

    private static CaseResult WorkedExample(torch.Device device)
    {
        var (x, _, _, @out) = Example(device);
        @out.Backward();
        return x.Grad is { } grad
            ? Compare.Close(Values(grad), Oracle(x), Float32, torch.ScalarType.Float32, what: "x.grad")
            : CaseResult.Fail("x.Grad is null after backward");
    }

    private static CaseResult LeafAndGradFn(torch.Device device)
    {
        var (x, y, z, @out) = Example(device);
        var names = (y.GradFn?.Name, z.GradFn?.Name, @out.GradFn?.Name);
        return All(
            CaseResult.Check(x.IsLeaf && !y.IsLeaf && !z.IsLeaf && !@out.IsLeaf, "leaf flags differ from PyTorch's"),
            CaseResult.Check(x.GradFn is null, "a leaf has a grad_fn"),
            CaseResult.Check(y.GradFn is not null && z.GradFn is not null && @out.GradFn is not null, "a computed tensor has no grad_fn"),
            GradFn.CanReadNames
                ? CaseResult.Check(names == ("AddBackward1", "MulBackward1", "MeanBackward0"), $"names were {names}")
                : CaseResult.Check(names == (null, null, null), "names must be null where they cannot be read"));
    }

    private static CaseResult PythonNames(torch.Device device)
    {
        if (!GradFn.CanReadNames)
        {
            return CaseResult.Skip("skipped: " + GradFn.NameUnavailableReason);
        }

        var x = torch.ones(2, 2, device: device, requires_grad: true);
        var y = x + torch.tensor(2f, device: device);
        var z = y * y * torch.tensor(3f, device: device);
        var @out = z.mean();
        var gelu = torch.nn.functional.gelu(x);
        var names = (y.GradFn?.Name, z.GradFn?.Name, @out.GradFn?.Name, gelu.GradFn?.Name);
        return CaseResult.Check(names == ("AddBackward0", "MulBackward0", "MeanBackward0", "GeluBackward0"), $"names were {names}");
    }

    private static CaseResult BackwardWithGradient(torch.Device device)
    {
        var x = torch.tensor(new float[] { 1, 2, 3 }, device: device, requires_grad: true);
        var y = x * x;
        var v = torch.tensor(new float[] { 1, 0.5f, -1 }, device: device);
        y.Backward(v);
        double[] expected = [1 * 2 * 1.0, 0.5 * 2 * 2, -1 * 2 * 3.0];
        return Compare.Close(Values(x.Grad!), expected, Float32, torch.ScalarType.Float32, what: "x.grad");
    }

    private static CaseResult NonScalarRaises(torch.Device device)
    {
        var y = torch.ones(2, 2, device: device, requires_grad: true) * 2;
        return Throws<InvalidOperationException>(() => y.Backward(), "grad can be implicitly created only for scalar outputs");
    }

    private static CaseResult NotRequiringGradRaises(torch.Device device)
    {
        var loss = torch.ones(2, device: device).sum();
        return Throws<InvalidOperationException>(() => loss.Backward(), "does not require grad");
    }

    private static CaseResult NonLeafRaises(torch.Device device)
    {
        var y = torch.ones(2, device: device, requires_grad: true) * 2;
        return Throws<InvalidOperationException>(() => y.RequiresGrad = false, "you can only change requires_grad flags of leaf variables.", "var.detach()");
    }

    private static CaseResult RequiresGradInPlace(torch.Device device)
    {
        var a = torch.ones(2, device: device);
        bool before = (a * 2).RequiresGrad;
        a.RequiresGrad = true;
        var b = (a * a).sum();
        return CaseResult.Check(!before && b.RequiresGrad && !b.IsLeaf && a.IsLeaf, "requires_grad_ did not switch recording on");
    }

    private static CaseResult Accumulates(torch.Device device)
    {
        var x = torch.ones(2, 2, device: device, requires_grad: true);
        var results = new List<CaseResult>();
        for (int pass = 1; pass <= 3; pass++)
        {
            ((x + 2) * (x + 2) * 3).mean().Backward();
            results.Add(Compare.Close(Values(x.Grad!), Oracle(x, pass), Float32, torch.ScalarType.Float32, what: $"x.grad after pass {pass}"));
        }

        return All([.. results]);
    }

    private static CaseResult GradZero(torch.Device device)
    {
        var (x, _, _, @out) = Example(device);
        @out.Backward();
        x.Grad!.Detach().zero_();
        bool zeroed = Values(x.Grad!).All(g => g == 0);
        ((x + 2) * (x + 2) * 3).mean().Backward();
        return All(
            CaseResult.Check(zeroed, "x.grad.data.zero_() did not zero the gradient"),
            Compare.Close(Values(x.Grad!), Oracle(x), Float32, torch.ScalarType.Float32, what: "x.grad after zero_ and one backward"));
    }

    private static CaseResult SecondBackward(torch.Device device)
    {
        var x = torch.ones(2, device: device, requires_grad: true);
        var retained = (x * x).sum();
        retained.Backward(retainGraph: true);
        retained.Backward();
        var loss = (x * x).sum();
        loss.Backward();
        return All(
            CaseResult.Check(Values(x.Grad!).SequenceEqual([6.0, 6.0]), "retain_graph=True did not allow a second backward that accumulates"),
            Throws<InvalidOperationException>(() => loss.Backward(), "a second time", "retainGraph: true"));
    }

    private static CaseResult DetachShares(torch.Device device)
    {
        var x = torch.ones(3, device: device, requires_grad: true);
        var y = x * 2;
        var d = y.Detach();
        d[0] = torch.tensor(10f, device: device);
        return All(
            CaseResult.Check(d.SharesStorageWith(y), "detach() copied the data"),
            CaseResult.Check(y[0].Item<float>() == 10f, "a write through the detached tensor is not seen by the source"),
            CaseResult.Check(!d.RequiresGrad && d.IsLeaf && d.GradFn is null, "the detached tensor is still in the graph"));
    }

    private static CaseResult ManualStep(torch.Device device)
    {
        var (x, _, _, @out) = Example(device);
        @out.Backward();
        using (Torch.NoGrad())
        {
            x.sub_(0.1f * x.Grad!);
        }

        double[] expected = [.. Enumerable.Repeat(1 - (0.1 * 4.5), 4)];
        return Compare.Close(Values(x.Detach()), expected, Float32, torch.ScalarType.Float32, what: "x after one step");
    }
}
