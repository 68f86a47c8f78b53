namespace TorchFacade.Conformance.Cases.Semantics;

/// <summary>
/// A few basic claims of the seed notes, checked against LibTorch directly: memory sharing of views, detach and clone;
/// out-of-place vs in-place addition; the worked autograd example (x.grad = 4.5) and one SGD step (x = 0.55); gradient
/// accumulation; <c>no_grad</c>. Ids: <c>semantics/basics/&lt;claim&gt;[/&lt;dtype&gt;]/&lt;device&gt;</c>.
/// </summary>
internal sealed class SemanticsBasicsCases : ICaseSource
{
    private static readonly torch.ScalarType[] FloatTypes = [torch.ScalarType.Float32, torch.ScalarType.Float64];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            yield return Structural("view-shares-storage", device, "x.view(2, 3) shares x's storage: writing through the view changes x", () => ViewSharesStorage(device));
            yield return Structural("detach-shares-storage", device, "x.detach() shares x's storage and does not require grad", () => DetachSharesStorage(device));
            yield return Structural("clone-copies", device, "x.clone() owns new storage: writing to the clone leaves x unchanged", () => CloneCopies(device));
            yield return Structural("add-allocates", device, "y = x + y binds y to a new tensor with new storage; the old y is unchanged", () => AddAllocates(device));
            yield return Structural("add-inplace-keeps-storage", device, "y.add_(x) (Python's y += x) writes into y's own storage", () => AddInPlaceKeepsStorage(device));
            yield return Structural("no-grad-result-needs-no-grad", device, "under torch.no_grad() an op on a tensor that requires grad gives a result that does not", () => NoGrad(device));

            foreach (torch.ScalarType dtype in FloatTypes)
            {
                string dt = DTypeNames.Of(dtype);
                yield return CaseKit.Make(CaseGroup.Semantics, $"semantics/basics/worked-example-grad/{dt}/{device}", device, "x = ones(2,2), out = mean(3·(x+2)²); out.backward() gives x.grad = 4.5 everywhere", "LibTorch autograd vs the hand-computed value 1.5·(x+2) in double", () => WorkedExampleGrad(device, dtype, backwardPasses: 1, expected: 4.5), dtype, Tolerance.Exact("every intermediate (0.25, 0.75, 2.25) is a dyadic rational: autograd computes 4.5 exactly in float32 and float64 (D.1)"));
                yield return CaseKit.Make(CaseGroup.Semantics, $"semantics/basics/grad-accumulates/{dt}/{device}", device, "backward twice without zeroing accumulates: x.grad = 4.5 + 4.5 = 9", "LibTorch autograd vs the hand-computed value in double", () => WorkedExampleGrad(device, dtype, backwardPasses: 2, expected: 9.0), dtype, Tolerance.Exact("4.5 + 4.5 is exact in every float dtype"));
                Tolerance sgd = Tolerance.For(dtype);
                yield return CaseKit.Make(CaseGroup.Semantics, $"semantics/basics/sgd-one-step/{dt}/{device}", device, "one SGD(lr=0.1) step after the worked example gives x = 1 − 0.1·4.5 = 0.55 (D.2)", "TorchSharp's SGD vs the update written out in double", () => SgdOneStep(device, dtype, sgd), dtype, sgd.Widen(sgd.Rtol, sgd.Atol, sgd.Reason + "; float32 gives 0.54999995, 1 ulp from the nearest float32 to 0.55 (D.2)"));
            }
        }
    }

    private static ConformanceCase Structural(string name, string device, string claim, Func<CaseResult> run) => CaseKit.Make(CaseGroup.Semantics, $"semantics/basics/{name}/{device}", device, claim, "LibTorch behaviour vs PyTorch's documented semantics", run);

    private static long StoragePointer(torch.Tensor t) => (long)t.storage<float>().data_ptr();

    private static CaseResult ViewSharesStorage(string device)
    {
        var x = torch.arange(6, dtype: torch.ScalarType.Float32, device: ConformanceDevices.Of(device));
        var v = x.view(2, 3);
        v[0, 0] = torch.tensor(100f);
        float seen = x[0].cpu().item<float>();
        return CaseResult.Check(
            seen == 100f && StoragePointer(x) == StoragePointer(v),
            $"after v[0,0] = 100, x[0] = {seen} and the storages {(StoragePointer(x) == StoragePointer(v) ? "are" : "are not")} the same");
    }

    private static CaseResult DetachSharesStorage(string device)
    {
        var x = torch.ones(3, dtype: torch.ScalarType.Float32, device: ConformanceDevices.Of(device), requires_grad: true);
        var d = x.detach();
        bool same = StoragePointer(x) == StoragePointer(d);
        return CaseResult.Check(same && !d.requires_grad, $"detach: same storage = {same}, requires_grad = {d.requires_grad}");
    }

    private static CaseResult CloneCopies(string device)
    {
        var x = torch.zeros(3, dtype: torch.ScalarType.Float32, device: ConformanceDevices.Of(device));
        var c = x.clone();
        c[0] = torch.tensor(5f);
        float seen = x[0].cpu().item<float>();
        return CaseResult.Check(seen == 0f && StoragePointer(x) != StoragePointer(c), $"after c[0] = 5, x[0] = {seen}");
    }

    private static CaseResult AddAllocates(string device)
    {
        torch.Device dev = ConformanceDevices.Of(device);
        var x = torch.ones(3, dtype: torch.ScalarType.Float32, device: dev);
        var y = torch.ones(3, dtype: torch.ScalarType.Float32, device: dev);
        var oldY = y;
        long before = StoragePointer(y);
        y = x + y;
        float old = oldY[0].cpu().item<float>();
        return CaseResult.Check(
            StoragePointer(y) != before && old == 1f && y[0].cpu().item<float>() == 2f,
            $"y = x + y: new storage = {StoragePointer(y) != before}, old y[0] = {old}");
    }

    private static CaseResult AddInPlaceKeepsStorage(string device)
    {
        torch.Device dev = ConformanceDevices.Of(device);
        var x = torch.ones(3, dtype: torch.ScalarType.Float32, device: dev);
        var y = torch.ones(3, dtype: torch.ScalarType.Float32, device: dev);
        long before = StoragePointer(y);
        y.add_(x);
        float value = y[0].cpu().item<float>();
        return CaseResult.Check(StoragePointer(y) == before && value == 2f, $"y.add_(x): same storage = {StoragePointer(y) == before}, y[0] = {value}");
    }

    private static CaseResult NoGrad(string device)
    {
        var x = torch.ones(3, dtype: torch.ScalarType.Float32, device: ConformanceDevices.Of(device), requires_grad: true);
        torch.Tensor y;
        using (torch.no_grad())
        {
            y = x * 2;
        }

        var z = x * 2;
        return CaseResult.Check(!y.requires_grad && z.requires_grad, $"inside no_grad requires_grad = {y.requires_grad}; outside = {z.requires_grad}");
    }

    private static torch.Tensor WorkedExampleLoss(torch.Tensor x)
    {
        var y = x + 2;
        var z = y * y * 3;
        return z.mean();
    }

    private static CaseResult WorkedExampleGrad(string device, torch.ScalarType dtype, int backwardPasses, double expected)
    {
        var x = torch.ones([2, 2], dtype: dtype, device: ConformanceDevices.Of(device), requires_grad: true);
        for (int i = 0; i < backwardPasses; i++)
        {
            WorkedExampleLoss(x).backward();
        }

        if (x.grad is null)
        {
            return CaseResult.Fail("x.grad is null after backward()");
        }

        double[] want = Enumerable.Repeat(expected, 4).ToArray();
        return Compare.Close(Compare.ToDoubles(x.grad), want, Tolerance.Exact("exact"), dtype, what: "x.grad");
    }

    private static CaseResult SgdOneStep(string device, torch.ScalarType dtype, Tolerance tolerance)
    {
        var x = new TorchSharp.Modules.Parameter(torch.ones([2, 2], dtype: dtype, device: ConformanceDevices.Of(device)));
        var optimizer = torch.optim.SGD([x], 0.1);
        optimizer.zero_grad();
        WorkedExampleLoss(x).backward();
        optimizer.step();
        double[] want = Enumerable.Repeat(1 - (0.1 * 4.5), 4).ToArray();
        return Compare.Close(Compare.ToDoubles(x), want, tolerance, dtype, what: "x after one step");
    }
}
