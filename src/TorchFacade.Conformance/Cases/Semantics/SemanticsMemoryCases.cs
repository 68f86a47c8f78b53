using static TorchFacade.Conformance.SemanticsCase;

namespace TorchFacade.Conformance;

/// <summary>Seed claims about memory: view/clone, new storage vs in place, broadcasting, item().</summary>
internal sealed class SemanticsMemoryCases : ICaseSource
{
    private static readonly Tolerance ExactSums = Tolerance.Exact("small integers add exactly in float32");

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() =>
    [
        .. PerDevice("memory", "view-shares-storage", "x.view(...) shares memory with x: writing one changes the other", FacadeVsPyTorch, ViewSharesStorage),
        .. PerDevice("memory", "view-incompatible-layout-raises", "viewing a transposed matrix as a row raises TensorLayoutException naming shape and strides", FacadeVsPyTorch, ViewIncompatible),
        .. PerDevice("memory", "clone-copies", "x.clone() has new storage and equal values; changing it leaves x alone", FacadeVsPyTorch, CloneCopies),
        .. PerDevice("memory", "y=x+y-allocates", "y = x + y gives y new storage (Python's id(y) changes)", FacadeVsPyTorch, PlusAllocates),
        .. PerDevice("memory", "assign-keeps-storage", "y[:] = y + x (Assign) writes into y's existing storage", FacadeVsPyTorch, d => KeepsStorage(d, (x, y) => y.Assign(y + x))),
        .. PerDevice("memory", "slice-assign-keeps-storage", "TorchSharp's y[:] = y + x writes into y's existing storage", FacadeVsPyTorch, d => KeepsStorage(d, (x, y) => y[torch.TensorIndex.Colon] = y + x)),
        .. PerDevice("memory", "add-out-keeps-storage", "torch.add(x, y, out=y) writes into y's existing storage", FacadeVsPyTorch, d => KeepsStorage(d, (x, y) => Torch.Add(x, y, @out: y))),
        .. PerDevice("memory", "add_-keeps-storage", "y.add_(x) writes into y's existing storage", FacadeVsPyTorch, d => KeepsStorage(d, (x, y) => y.add_(x))),
        .. PerDevice("memory", "csharp-plus-equals-rebinds", "C#'s y += x (unlike Python's) rebinds y to a new tensor and leaves aliases stale", FacadeVsPyTorch, PlusEqualsRebinds),
        .. PerDevice("memory", "broadcast-row-plus-column", "arange(1,3).view(1,2) + arange(1,4).view(3,1) broadcasts to 3x2 with x_j + y_i", LibTorchVsHandDerived, Broadcast, torch.ScalarType.Float32, ExactSums),
        .. PerDevice("memory", "assign-unbroadcastable-raises", "assigning a [3] source into a [2, 2] tensor raises ShapeMismatchException naming both shapes and dimension 1", FacadeVsPyTorch, AssignMismatch),
        .. PerDevice("memory", "item-one-element", "item() turns a one-element tensor into a number, converting float32 to double exactly", FacadeVsPyTorch, ItemOne),
        .. PerDevice("memory", "item-many-elements-raises", "item() on a tensor with 6 elements raises InvalidOperationException naming shape and count", FacadeVsPyTorch, ItemMany),
        .. PerDevice("memory", "disposed-tensor-raises", "every facade member on a disposed tensor raises ObjectDisposedException instead of reaching LibTorch", FacadeVsPyTorch, DisposedRaises),
    ];

    private static CaseResult ViewSharesStorage(torch.Device device)
    {
        var x = torch.arange(6, dtype: torch.float32, device: device);
        var y = x.View(2, 3);
        y[0, 1] = torch.tensor(100f, device: device);
        double seen = x[1].Item<double>();
        return All(
            CaseResult.Check(y.SharesStorageWith(x), "the view does not share x's storage"),
            CaseResult.Check(y.DataPtr == x.DataPtr, "the view starts at a different address"),
            CaseResult.Check(seen == 100, $"writing y[0, 1] = 100 left x[1] = {seen}"));
    }

    private static CaseResult ViewIncompatible(torch.Device device)
    {
        var x = torch.arange(6, dtype: torch.float32, device: device).View(2, 3).t();
        return Throws<TensorLayoutException>(() => x.View(6), "[3, 2]", "[1, 3]", "Reshape", "Contiguous()");
    }

    private static CaseResult CloneCopies(torch.Device device)
    {
        var x = torch.arange(6, dtype: torch.float32, device: device);
        var c = x.Clone();
        bool equal = Values(c).SequenceEqual(Values(x));
        c[0] = torch.tensor(42f, device: device);
        return All(
            CaseResult.Check(!c.SharesStorageWith(x), "the clone shares x's storage"),
            CaseResult.Check(equal, "the clone's values differ from x's"),
            CaseResult.Check(x[0].Item<float>() == 0f, "changing the clone changed x"));
    }

    private static (torch.Tensor X, torch.Tensor Y) Pair(torch.Device device) =>
        (torch.tensor(new float[] { 1, 2, 3, 4 }, device: device).View(2, 2),
         torch.tensor(new float[] { 10, 20, 30, 40 }, device: device).View(2, 2));

    private static CaseResult PlusAllocates(torch.Device device)
    {
        var (x, y) = Pair(device);
        var old = y;
        long address = y.DataPtr;
        y = x + y;
        return All(
            CaseResult.Check(y.DataPtr != address && !y.SharesStorageWith(old), "y = x + y reused y's storage"),
            CaseResult.Check(Values(old).SequenceEqual([10.0, 20, 30, 40]), "the old y changed"),
            CaseResult.Check(Values(y).SequenceEqual([11.0, 22, 33, 44]), "y = x + y has wrong values"));
    }

    private static CaseResult KeepsStorage(torch.Device device, Action<torch.Tensor, torch.Tensor> write)
    {
        var (x, y) = Pair(device);
        var alias = y.View(4);
        long address = y.DataPtr;
        write(x, y);
        return All(
            CaseResult.Check(y.DataPtr == address, "y moved to new storage"),
            CaseResult.Check(Values(y).SequenceEqual([11.0, 22, 33, 44]), $"y holds [{string.Join(", ", Values(y))}], expected [11, 22, 33, 44]"),
            CaseResult.Check(Values(alias).SequenceEqual([11.0, 22, 33, 44]), "an alias of y does not see the write"));
    }

    private static CaseResult PlusEqualsRebinds(torch.Device device)
    {
        var (x, y) = Pair(device);
        var alias = y;
        long address = y.DataPtr;
        y += x;
        return All(
            CaseResult.Check(!ReferenceEquals(alias, y) && y.DataPtr != address, "C#'s += kept the tensor (the documented trap no longer holds: update docs)"),
            CaseResult.Check(Values(alias).SequenceEqual([10.0, 20, 30, 40]), "the alias of the old y changed"),
            CaseResult.Check(Values(y).SequenceEqual([11.0, 22, 33, 44]), "y += x has wrong values"));
    }

    private static CaseResult Broadcast(torch.Device device)
    {
        var x = torch.arange(1, 3, dtype: torch.float32, device: device).View(1, 2);
        var y = torch.arange(1, 4, dtype: torch.float32, device: device).View(3, 1);
        var sum = x + y;
        var expected = new double[6];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                expected[(i * 2) + j] = (j + 1.0) + (i + 1.0);
            }
        }

        if (!sum.shape.SequenceEqual([3L, 2L]))
        {
            return CaseResult.Fail($"shape [{string.Join(", ", sum.shape)}], expected [3, 2]");
        }

        return Compare.Close(Values(sum), expected, ExactSums, torch.ScalarType.Float32, what: "broadcast sum");
    }

    private static CaseResult AssignMismatch(torch.Device device)
    {
        var y = torch.zeros(2, 2, device: device);
        var source = torch.ones(3, device: device);
        return Throws<ShapeMismatchException>(() => y.Assign(source), "[3]", "[2, 2]", "dimension 1");
    }

    private static CaseResult ItemOne(torch.Device device)
    {
        double value = torch.full(new long[] { 1, 1 }, 0.1f, device: device).Item<double>();
        return CaseResult.Check(value == (double)0.1f, $"item() gave {value:R}, expected {(double)0.1f:R}");
    }

    private static CaseResult ItemMany(torch.Device device)
    {
        var x = torch.ones(2, 3, device: device);
        return Throws<InvalidOperationException>(() => x.Item<float>(), "6 elements", "[2, 3]");
    }

    private static CaseResult DisposedRaises(torch.Device device)
    {
        var live = torch.ones(2, device: device);
        var dead = torch.ones(2, device: device);
        dead.Dispose();
        return All(
            Throws<ObjectDisposedException>(() => dead.View(2), "has been disposed"),
            Throws<ObjectDisposedException>(() => dead.Item<float>(), "has been disposed"),
            Throws<ObjectDisposedException>(() => live.Assign(dead), "has been disposed"),
            Throws<ObjectDisposedException>(() => dead.To("cpu"), "has been disposed"),
            Throws<ObjectDisposedException>(() => dead.Backward(), "has been disposed"),
            Throws<ObjectDisposedException>(() => _ = dead.GradFn, "has been disposed"));
    }
}
