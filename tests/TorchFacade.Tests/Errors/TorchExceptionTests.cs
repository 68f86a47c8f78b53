using System.Numerics;
using System.Runtime.InteropServices;
using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Errors;

/// <summary>The error model: LibTorch's errors as <see cref="TorchException"/> with PyTorch's kind, first line and the trace apart.</summary>
public sealed class TorchExceptionTests
{
    private static TorchException Translate(Action call)
    {
        try
        {
            call();
        }
        catch (ExternalException ex)
        {
            return ex.ToTorchException();
        }

        throw new Xunit.Sdk.XunitException("LibTorch did not raise");
    }

    [Fact]
    public void ToTorchException_keeps_PyTorchs_first_line_as_the_message_and_the_trace_apart()
    {
        using var scope = torch.NewDisposeScope();
        TorchException ex = Translate(() => _ = torch.ones(2, 3) + torch.ones(4));
        ex.PyTorchType.Should().Be(PyTorchErrorTypes.RuntimeError);
        ex.Message.Should().Be("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
        ex.PyTorchMessage.Should().Be(ex.Message);
        ex.NativeTrace.Should().StartWith("Exception raised from");
        ex.InnerException.Should().BeOfType<ExternalException>();
        ex.Should().BeAssignableTo<InvalidOperationException>();
    }

    [Fact]
    public void ToTorchException_maps_LibTorchs_error_kinds_to_PyTorchs_exception_classes()
    {
        using var scope = torch.NewDisposeScope();
        Translate(() => _ = torch.ones(3).sum(5)).PyTorchType.Should().Be(PyTorchErrorTypes.IndexError);
        Translate(() => _ = torch.ones(3)[5]).PyTorchType.Should().Be(PyTorchErrorTypes.IndexError);
        Translate(() => _ = torch.ones(3).to_sparse().exp()).PyTorchType.Should().Be(PyTorchErrorTypes.NotImplementedError);
        Translate(() => _ = torch.mm(torch.ones(2, 3), torch.ones(2, 3))).PyTorchType.Should().Be(PyTorchErrorTypes.RuntimeError);
    }

    [Fact]
    public void SharesStorageWith_on_a_sparse_tensor_raises_instead_of_aborting()
    {
        using var scope = torch.NewDisposeScope();
        var sparse = torch.ones(2, 3).to_sparse();
        var act = () => sparse.SharesStorageWith(torch.ones(2));
        act.Should().Throw<TorchException>().Where(e => e.PyTorchType == PyTorchErrorTypes.NotImplementedError)
            .WithMessage("SharesStorageWith: Cannot access storage of SparseTensorImpl*to_dense()*");
        var dataPtr = () => sparse.DataPtr;
        dataPtr.Should().Throw<TorchException>().WithMessage("DataPtr: Cannot access data pointer of Tensor that doesn't have storage*");
    }

    [Fact]
    public void Backward_takes_a_gradient_of_exactly_the_outputs_shape()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        var act = () => (x * 2).Backward(torch.ones(3, 2));
        act.Should().Throw<ShapeMismatchException>()
            .WithMessage("Backward: Mismatch in shape: grad_output[0] has a shape of torch.Size([3, 2]) and output[0] has a shape of torch.Size([2]).*");
        x.Grad.Should().BeNull("nothing may be accumulated when the gradient is refused");
    }

    [Fact]
    public void Item_raises_instead_of_wrapping_or_dropping_the_imaginary_part()
    {
        using var scope = torch.NewDisposeScope();
        ((Action)(() => torch.tensor(1e10).Item<int>())).Should().Throw<OverflowException>().WithMessage("Item<Int32>: the value 10000000000*");
        ((Action)(() => torch.tensor(double.NaN).Item<int>())).Should().Throw<OverflowException>().WithMessage("*cannot convert float NaN to integer*");
        ((Action)(() => torch.tensor(300L).Item<byte>())).Should().Throw<OverflowException>();
        ((Action)(() => torch.tensor(-1L).Item<byte>())).Should().Throw<OverflowException>();
        ((Action)(() => torch.complex(torch.tensor(1f), torch.tensor(2f)).Item<float>())).Should().Throw<InvalidCastException>().WithMessage("*imaginary*");
        torch.complex(torch.tensor(1f), torch.tensor(2f)).Item<Complex>().Should().Be(new Complex(1, 2));
        torch.tensor(2147483647L).Item<int>().Should().Be(int.MaxValue);
        torch.tensor(-2.9).Item<long>().Should().Be(-2);
    }

    [Fact]
    public void Add_with_out_follows_PyTorchs_casting_rule()
    {
        using var scope = torch.NewDisposeScope();
        var outLong = torch.zeros(2, torch.int64);
        var act = () => Torch.Add(torch.ones(2), torch.ones(2), outLong);
        act.Should().Throw<TorchException>().WithMessage("Add: result type Float can't be cast to the desired output type Long*");
        outLong.ToArray<long>().Should().Equal(0L, 0L);
        Torch.Add(torch.ones(2, torch.int64), torch.ones(2, torch.int64), torch.zeros(2)).ToArray<float>().Should().Equal(2f, 2f);
    }

    [Fact]
    public void AsSpan_refuses_a_tensor_that_requires_grad_but_ToArray_copies()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3, requires_grad: true);
        var act = () => x.AsSpan<float>().Length;
        act.Should().Throw<TorchException>().WithMessage("AsSpan: Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.*");
        x.ToArray<float>().Should().Equal(1f, 1f, 1f);
        x.Detach().AsSpan<float>().Length.Should().Be(3);
    }

    [Fact]
    public void Host_copies_of_sparse_and_meta_tensors_raise_TypeError_instead_of_reading_null()
    {
        using var scope = torch.NewDisposeScope();
        var sparse = () => torch.ones(3).to_sparse().ToArray<float>();
        sparse.Should().Throw<TorchException>().Where(e => e.PyTorchType == PyTorchErrorTypes.TypeError).WithMessage("ToArray: can't convert Sparse layout tensor to numpy*");
        var meta = () => torch.ones(3, device: torch.META).ToArray<float>();
        meta.Should().Throw<TorchException>().Where(e => e.PyTorchType == PyTorchErrorTypes.TypeError);
        var item = () => torch.ones(1, device: torch.META).Item<float>();
        item.Should().Throw<TorchException>().WithMessage("Item: Tensor.item() cannot be called on meta tensors*");
    }
}
