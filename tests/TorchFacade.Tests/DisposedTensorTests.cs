using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests;

/// <summary>Every facade member on a disposed tensor throws <see cref="ObjectDisposedException"/> with a clear message — never a native crash.</summary>
public class DisposedTensorTests
{
    public static TheoryData<string> Members =>
    [
        "View", "Reshape", "Clone", "Item", "DataPtr", "SharesStorageWith", "SharesStorageWith(other)", "Assign", "Assign(source)",
        "To(string)", "To(Device)", "RequiresGrad.get", "RequiresGrad.set", "Grad.get", "Grad.set", "Grad.set(value)", "IsLeaf",
        "GradFn", "Backward", "Backward(gradient)", "Detach", "Add(out)",
    ];

    [Theory]
    [MemberData(nameof(Members))]
    public void MemberOnDisposedTensorThrowsObjectDisposed(string member)
    {
        using var scope = torch.NewDisposeScope();
        var live = torch.ones(2, requires_grad: true);
        var dead = torch.ones(2, requires_grad: true);
        dead.Dispose();

        Action act = member switch
        {
            "View" => () => dead.View(2),
            "Reshape" => () => dead.Reshape(2),
            "Clone" => () => dead.Clone(),
            "Item" => () => dead.Item<float>(),
            "DataPtr" => () => _ = dead.DataPtr,
            "SharesStorageWith" => () => dead.SharesStorageWith(live),
            "SharesStorageWith(other)" => () => live.SharesStorageWith(dead),
            "Assign" => () => dead.Assign(live),
            "Assign(source)" => () => live.Detach().Assign(dead),
            "To(string)" => () => dead.To("cpu"),
            "To(Device)" => () => dead.To(torch.CPU),
            "RequiresGrad.get" => () => _ = dead.RequiresGrad,
            "RequiresGrad.set" => () => dead.RequiresGrad = false,
            "Grad.get" => () => _ = dead.Grad,
            "Grad.set" => () => dead.Grad = null,
            "Grad.set(value)" => () => live.Grad = dead,
            "IsLeaf" => () => _ = dead.IsLeaf,
            "GradFn" => () => _ = dead.GradFn,
            "Backward" => () => dead.Backward(),
            "Backward(gradient)" => () => (live * 2).Backward(dead),
            "Detach" => () => dead.Detach(),
            "Add(out)" => () => Torch.Add(live, live, @out: dead),
            _ => throw new ArgumentOutOfRangeException(nameof(member)),
        };

        act.Should().Throw<ObjectDisposedException>().WithMessage("*has been disposed*");
    }
}
