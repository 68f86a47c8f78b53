using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Memory;

/// <summary>
/// Seed: "y = x + y allocates new memory and re-points y (check with id()); to avoid it use y[:] = y + x,
/// torch.add(x, y, out=y), y += x, y.add_(x)". In C#, y += x is the exception: it allocates (see the trap test).
/// </summary>
public class InPlaceAndIdentityTests
{
    private static torch.Tensor X() => torch.tensor(new float[] { 1, 2, 3, 4 }).View(2, 2);

    private static torch.Tensor Y() => torch.tensor(new float[] { 10, 20, 30, 40 }).View(2, 2);

    private static readonly float[] Sum = [11, 22, 33, 44];

    [Fact]
    public void YEqualsXPlusYGetsNewStorage()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        var y = Y();
        var before = y;
        long address = y.DataPtr;

        y = x + y;

        y.DataPtr.Should().NotBe(address, "Python's id(y) changes: y = x + y is a new tensor");
        y.SharesStorageWith(before).Should().BeFalse();
        before.data<float>().ToArray().Should().Equal(10f, 20f, 30f, 40f);
        y.data<float>().ToArray().Should().Equal(Sum);
    }

    [Fact]
    public void AssignKeepsStorageLikeSliceAssignment()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        var y = Y();
        var alias = y.View(4);
        long address = y.DataPtr;

        var returned = y.Assign(y + x);

        returned.Should().BeSameAs(y);
        y.DataPtr.Should().Be(address);
        y.data<float>().ToArray().Should().Equal(Sum);
        alias.data<float>().ToArray().Should().Equal(Sum, "every alias sees the in-place write");
    }

    [Fact]
    public void TorchSharpSliceAssignmentKeepsStorage()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        var y = Y();
        long address = y.DataPtr;

        y[torch.TensorIndex.Colon] = y + x; // Python: y[:] = y + x

        y.DataPtr.Should().Be(address);
        y.data<float>().ToArray().Should().Equal(Sum);
    }

    [Fact]
    public void AddWithOutKeepsStorage()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        var y = Y();
        long address = y.DataPtr;

        var returned = Torch.Add(x, y, @out: y); // Python: torch.add(x, y, out=y)

        returned.Should().BeSameAs(y);
        y.DataPtr.Should().Be(address);
        y.data<float>().ToArray().Should().Equal(Sum);
    }

    [Fact]
    public void AddInPlaceKeepsStorage()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        var y = Y();
        long address = y.DataPtr;

        y.add_(x);

        y.DataPtr.Should().Be(address);
        y.data<float>().ToArray().Should().Equal(Sum);
    }

    [Fact]
    public void CSharpPlusEqualsRebindsToANewTensorUnlikePython()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        var y = Y();
        var alias = y;
        long address = y.DataPtr;

        y += x; // Python: in place. C#: y = y + x (the trap documented on Assign).

        ReferenceEquals(y, alias).Should().BeFalse("C# rebinds y to the result of operator +");
        y.DataPtr.Should().NotBe(address, "the result lives in new storage");
        alias.data<float>().ToArray().Should().Equal([10f, 20f, 30f, 40f], "the old tensor (and every alias of it) keeps the old values");
        y.data<float>().ToArray().Should().Equal(Sum);
    }

    [Fact]
    public void AssignBroadcastsSource()
    {
        using var scope = torch.NewDisposeScope();
        var y = torch.zeros(2, 3);
        y.Assign(torch.tensor(new float[] { 1, 2, 3 }));
        y.data<float>().ToArray().Should().Equal(1f, 2f, 3f, 1f, 2f, 3f);
        y.Assign(torch.tensor(new float[] { 7, 8 }).View(2, 1));
        y.data<float>().ToArray().Should().Equal(7f, 7f, 7f, 8f, 8f, 8f);
        y.Assign(torch.tensor(5f));
        y.data<float>().ToArray().Should().AllBeEquivalentTo(5f);
    }

    [Fact]
    public void AssignConvertsDtype()
    {
        using var scope = torch.NewDisposeScope();
        var y = torch.zeros(3, dtype: torch.int64);
        y.Assign(torch.tensor(new double[] { 1.9, -1.9, 2.5 }));
        y.data<long>().ToArray().Should().Equal(1L, -1L, 2L); // C++ static_cast truncates toward zero, as PyTorch's copy_
    }

    [Fact]
    public void AssignWithUnbroadcastableShapeThrowsShapeMismatch()
    {
        using var scope = torch.NewDisposeScope();
        var y = torch.zeros(2, 2);
        var act = () => y.Assign(torch.ones(3));
        var ex = act.Should().Throw<ShapeMismatchException>().Which;
        ex.Message.Should().Contain("[3]").And.Contain("[2, 2]").And.Contain("dimension 1");
        ex.Dimension.Should().Be(1);
        ex.Left.Should().Equal(2L, 2L);
        ex.Right.Should().Equal(3L);

        var tooManyDims = () => y.Assign(torch.ones(2, 2, 2));
        tooManyDims.Should().Throw<ShapeMismatchException>().Which.Dimension.Should().Be(0);
    }

    [Fact]
    public void AssignIntoLeafRequiringGradNeedsNoGrad()
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.ones(2, requires_grad: true);
        var act = () => w.Assign(torch.zeros(2));
        act.Should().Throw<InvalidOperationException>().WithMessage("*leaf Variable that requires grad*NoGrad*");

        using (Torch.NoGrad())
        {
            w.Assign(torch.zeros(2));
        }

        w.data<float>().ToArray().Should().Equal(0f, 0f);
    }

    [Fact]
    public void AddWithOutOfWrongShapeThrowsShapeMismatch()
    {
        using var scope = torch.NewDisposeScope();
        var act = () => Torch.Add(torch.ones(2, 2), torch.ones(2), @out: torch.zeros(3));
        act.Should().Throw<ShapeMismatchException>().WithMessage("*[2, 2]*[3]*");
        var notBroadcastable = () => Torch.Add(torch.ones(2, 2), torch.ones(3), @out: torch.zeros(2, 2));
        notBroadcastable.Should().Throw<ShapeMismatchException>().WithMessage("*size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1*");
    }

    [Fact]
    public void SharesStorageWithCountsViewsAtAnOffset()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(10, dtype: torch.float32);
        var tail = x[torch.TensorIndex.Slice(5, null)];
        tail.DataPtr.Should().Be(x.DataPtr + (5 * sizeof(float)), "data_ptr is the storage address plus the offset");
        tail.SharesStorageWith(x).Should().BeTrue();
        x.SharesStorageWith(tail).Should().BeTrue();
        x.t().SharesStorageWith(x).Should().BeTrue();
        x.Detach().SharesStorageWith(x).Should().BeTrue();
        torch.arange(10, dtype: torch.float32).SharesStorageWith(x).Should().BeFalse();
    }
}
