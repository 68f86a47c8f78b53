using FluentAssertions;
using TorchSharp;
using Xunit;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade.Tests.Autograd;

/// <summary>
/// Who owns the gradient a custom function's Backward returns, as in PyTorch 2.6: a fresh tensor that nothing else refers
/// to becomes the leaf's <c>.grad</c> itself (AccumulateGrad steals it: <c>x.grad.data_ptr()</c> is the returned
/// tensor's), one the user still holds is deep-copied (checked with PyTorch 2.6: True / False).
/// </summary>
public class CustomFunctionGradientOwnershipTests
{
    private static bool Supported => AutogradNative.Api is not null;

    [Fact]
    public void AFreshGradientBecomesTheLeafsGradWithoutACopy()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.randn(1000, requires_grad: true);
        Tensor y = Square.Apply(x)[0];
        Square.Returned = 0;
        y.Backward(torch.ones(1000));
        Square.Returned.Should().NotBe(0);
        x.Grad!.DataPtr.Should().Be(Square.Returned, "AccumulateGrad stores the returned gradient itself when it is its only owner");
        x.Grad!.data<float>().ToArray().Should().Equal(x.detach().mul(2).data<float>().ToArray());
    }

    [Fact]
    public void AGradientTheUserKeepsIsCopied()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.randn(1000, requires_grad: true);
        Tensor y = KeepingSquare.Apply(x)[0];
        y.Backward(torch.ones(1000));
        using Tensor kept = KeepingSquare.Kept!;
        x.Grad!.DataPtr.Should().NotBe(kept.DataPtr, "the user's reference means AccumulateGrad must copy");
        kept.data<float>().ToArray().Should().Equal(x.Grad!.data<float>().ToArray());
        KeepingSquare.Kept = null;
    }

    [Fact]
    public void HandedOverGradientsAreFreedWithTheirLeafAndRepeatedPassesStayCorrect()
    {
        if (!Supported)
        {
            return;
        }

        for (int i = 0; i < 200; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.full(256, (float)i, requires_grad: true);
            Tensor y = Square.Apply(x)[0];
            y.Backward(torch.ones(256));
            x.Grad!.data<float>()[255].Should().Be(2f * i);
            x.Grad = null;
        }
    }

    [Fact]
    public void ARecordedBackwardStillGivesSecondDerivatives()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1.5, -2.0 }, requires_grad: true);
        Tensor y = Cube.Apply(x)[0];
        Tensor?[] g = Torch.Autograd.Grad([y.sum()], [x], createGraph: true);
        g[0]!.data<double>().ToArray().Should().Equal(3 * 1.5 * 1.5, 3 * 4.0);
        Tensor?[] gg = Torch.Autograd.Grad([g[0]!.sum()], [x]);
        gg[0]!.data<double>().ToArray().Should().Equal(6 * 1.5, 6 * -2.0);
    }

    private sealed class Square : AutogradFunction<Square>
    {
        internal static long Returned;

        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0] * inputs[0]];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs)
        {
            Tensor r = ctx.SavedTensors[0] * 2 * gradOutputs[0];
            Returned = r.DataPtr;
            return [r];
        }
    }

    private sealed class KeepingSquare : AutogradFunction<KeepingSquare>
    {
        internal static Tensor? Kept;

        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0] * inputs[0]];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs)
        {
            Tensor r = (ctx.SavedTensors[0] * 2 * gradOutputs[0]).DetachFromDisposeScope();
            Kept = r;
            return [r];
        }
    }

    private sealed class Cube : AutogradFunction<Cube>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0].pow(3)];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [ctx.SavedTensors[0].pow(2) * 3 * gradOutputs[0]];
    }
}
