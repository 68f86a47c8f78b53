using FluentAssertions;
using TorchSharp;
using Xunit;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade.Tests.Autograd;

/// <summary>AutogradFunction / AutogradContext with PyTorch 2.x's semantics and error texts (each checked against PyTorch 2.6 by hand-run probes; the conformance group compares with goldens).</summary>
public class CustomFunctionTests
{
    private static bool Supported => AutogradNative.Api is not null;

    [Fact]
    public void LegendrePolynomial3MatchesItsFormulaAndIsNamedAsInPyTorch()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 0.5, 1.0, 2.0 }, requires_grad: true);
        Tensor y = LegendrePolynomial3.Apply(x)[0];
        y.data<double>().ToArray().Should().Equal(0.5 * ((5 * 0.125) - 1.5), 1.0, 0.5 * (40 - 6));
        y.sum().Backward();
        x.Grad!.data<double>().ToArray().Should().Equal(1.5 * ((5 * 0.25) - 1), 6.0, 1.5 * 19);
        if (Supported)
        {
            y.GradFn!.Name.Should().Be("LegendrePolynomial3Backward");
            y.GradFn!.ToString().Should().Be("<LegendrePolynomial3Backward>");
            LegendrePolynomial3.NodeName.Should().Be("LegendrePolynomial3Backward");
            var next = y.GradFn!.NextFunctions;
            next.Should().HaveCount(1);
            next[0].Function!.Name.Should().Be("AccumulateGrad");
            next[0].InputNr.Should().Be(0);
            using Tensor? leaf = next[0].Function!.Variable;
            AutogradNative.ImplOf(leaf!).Should().Be(AutogradNative.ImplOf(x));
        }
    }

    [Fact]
    public void CustomNodeSitsInsideTheGraphAndItsNameIsForgottenWhenFreed()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var h = x * 2;
        Tensor y = LegendrePolynomial3.Apply(h)[0];
        var z = y.exp();
        z.GradFn!.NextFunctions[0].Function!.Name.Should().Be("LegendrePolynomial3Backward");
        y.GradFn!.NextFunctions[0].Function!.Name.Should().Be("MulBackward1");

        IntPtr address;
        using (var inner = torch.NewDisposeScope())
        {
            Tensor w = LegendrePolynomial3.Apply(x)[0];
            address = AutogradNative.GradFnOf(AutogradNative.Api!, w).Node;
            CustomNodeNames.TryGet(address, out string? name).Should().BeTrue();
            name.Should().Be("LegendrePolynomial3Backward");
        }

        // The only owner (w) is gone, so LibTorch freed the node and told the facade.
        CustomNodeNames.TryGet(address, out _).Should().BeFalse();
    }

    [Fact]
    public void NeedsInputGradItemsAndNoneGradients()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var w = torch.tensor(new[] { 3.0, 4.0 });
        Scale.LastNeeds = null;
        Tensor y = Scale.Apply(x, w)[0];
        Scale.LastNeeds.Should().Equal(true, false);
        y.sum().Backward();
        x.Grad!.data<double>().ToArray().Should().Equal(6.0, 8.0);
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        using (Torch.NoGrad())
        {
            Tensor y = LegendrePolynomial3.Apply(x)[0];
            y.requires_grad.Should().BeFalse();
            y.GradFn.Should().BeNull();
        }

        Tensor z = LegendrePolynomial3.Apply(torch.ones(2))[0];
        z.requires_grad.Should().BeFalse();
    }

    [Fact]
    public void WrongNumberOfGradientsRaisesPyTorchsError()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3, requires_grad: true);
        var act = () => TooMany.Apply(x)[0].sum().Backward();
        act.Should().Throw<TorchException>()
            .Where(e => e.PyTorchMessage == "function TooManyBackward returned an incorrect number of gradients (expected 1, got 2)"
                        && e.PyTorchType == PyTorchErrorTypes.RuntimeError);
        var w = torch.ones(3, requires_grad: true);
        var few = () => TooFew.Apply(x, w)[0].sum().Backward();
        few.Should().Throw<TorchException>()
            .Where(e => e.PyTorchMessage == "function TooFewBackward returned an incorrect number of gradients (expected 2, got 1)");

        // Extra gradients are fine when they are all null (PyTorch truncates them).
        ExtraNulls.Apply(x)[0].sum().Backward();
        x.Grad!.data<float>().ToArray().Should().Equal(2f, 2f, 2f);
    }

    [Fact]
    public void WrongShapeRaisesPyTorchsErrorAndABroadcastShapeIsReduced()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3, requires_grad: true);
        var act = () => BadShape.Apply(x)[0].sum().Backward();
        act.Should().Throw<ShapeMismatchException>()
            .WithMessage("BadShape.Backward: Function BadShapeBackward returned an invalid gradient at index 0 - got [5] but expected shape compatible with [3]*");

        // A gradient that the input broadcasts to is summed down to the input's shape, as LibTorch's engine does.
        Broadcast.Apply(x)[0].sum().Backward();
        x.Grad!.data<float>().ToArray().Should().Equal(2f, 2f, 2f);
    }

    [Fact]
    public void SavedTensorModifiedInPlaceRaisesTheVersionError()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new[] { 0.5f, 1f, 2f }, requires_grad: true);
        var b = a * 1;
        Tensor y = LegendrePolynomial3.Apply(b)[0];
        b.add_(1);
        var act = () => y.sum().Backward();
        act.Should().Throw<TorchException>()
            .Where(e => e.PyTorchMessage.StartsWith(
                "one of the variables needed for gradient computation has been modified by an inplace operation: [CPUFloatType [3]], which is output 0 of AddBackward",
                StringComparison.Ordinal)
                && e.PyTorchMessage.Contains("is at version 1; expected version 0 instead.", StringComparison.Ordinal));
    }

    [Fact]
    public void SecondBackwardWithoutRetainGraphRaises()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 0.5, 1.0 }, requires_grad: true);
        var s = LegendrePolynomial3.Apply(x)[0].sum();
        s.Backward(retainGraph: true);
        s.Backward();
        x.Grad!.data<double>().ToArray().Should().Equal(2 * 1.5 * ((5 * 0.25) - 1), 2 * 6.0);
        var act = () => s.Backward();
        act.Should().Throw<TorchException>()
            .Where(e => e.PyTorchMessage.StartsWith("Trying to backward through the graph a second time", StringComparison.Ordinal));

        // A function that saved nothing can be run backward again, as in PyTorch.
        var t = TooFew.Apply(x, x)[0];
        _ = t;
        var plain = ExtraNulls.Apply(x)[0].sum();
        plain.Backward();
        plain.Backward();
    }

    [Fact]
    public void MarkDirtyOnALeafRaisesAndOnANonLeafReturnsTheSameTensor()
    {
        using var scope = torch.NewDisposeScope();
        var leaf = torch.ones(3, requires_grad: true);
        var act = () => DoubleInPlace.Apply(leaf);
        act.Should().Throw<TorchException>()
            .Where(e => e.PyTorchMessage == "a leaf Variable that requires grad has been used in an in-place operation.");

        var a = torch.ones(3, requires_grad: true);
        var b = a * 1;
        long version = b.Version;
        Tensor c = DoubleInPlace.Apply(b)[0];
        ReferenceEquals(c, b).Should().BeTrue();
        b.Version.Should().BeGreaterThan(version);
        if (Supported)
        {
            b.GradFn!.Name.Should().Be("DoubleInPlaceBackward");
        }

        c.sum().Backward();
        a.Grad!.data<float>().ToArray().Should().Equal(2f, 2f, 2f);

        // An input returned without MarkDirty comes back as a view of it (a new tensor), as in PyTorch.
        var d = a * 1;
        Tensor e = Identity.Apply(d)[0];
        ReferenceEquals(e, d).Should().BeFalse();
        if (Supported)
        {
            e.GradFn!.Name.Should().Be("IdentityBackward");
        }
    }

    [Fact]
    public void NonDifferentiableOutputsAndMaterializedGrads()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new[] { 3f, 1f, 2f }, requires_grad: true);
        Tensor[] outs = SortWithIndices.Apply(a);
        outs[1].requires_grad.Should().BeFalse();
        outs[0].sum().Backward();
        SortWithIndices.LastIndexGrad.Should().Equal(0L, 0L, 0L);
        a.Grad!.data<float>().ToArray().Should().Equal(1f, 1f, 1f);

        var x = torch.ones(3, requires_grad: true);
        TwoOutputs.Materialize = false;
        TwoOutputs.Apply(x)[0].sum().Backward();
        TwoOutputs.SecondWasNull.Should().BeTrue();
        TwoOutputs.Materialize = true;
        TwoOutputs.Apply(x)[0].sum().Backward();
        TwoOutputs.SecondWasNull.Should().BeFalse();
    }

    [Fact]
    public void AnExceptionInBackwardSurfacesAndThePassCanBeRunAgain()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3, requires_grad: true);
        var act = () => Throws.Apply(x)[0].sum().Backward();
        act.Should().Throw<ArithmeticException>().WithMessage("boom");
        var grad = () => Torch.Autograd.Grad([Throws.Apply(x)[0].sum()], [x]);
        grad.Should().Throw<ArithmeticException>().WithMessage("boom");
        var backward = () => Torch.Autograd.Backward([Throws.Apply(x)[0].sum()]);
        backward.Should().Throw<ArithmeticException>().WithMessage("boom");
        LegendrePolynomial3.Apply(x)[0].sum().Backward();
        x.Grad!.data<float>().ToArray().Should().Equal(6f, 6f, 6f);
    }

    [Fact]
    public void DifferentiableBackwardGivesSecondDerivatives()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 0.5, 1.0, 2.0 }, requires_grad: true);
        var y = LegendrePolynomial3.Apply(x)[0].sum();
        Tensor g = Torch.Autograd.Grad([y], [x], createGraph: true)[0]!;
        g.data<double>().ToArray().Should().Equal(1.5 * ((5 * 0.25) - 1), 6.0, 1.5 * 19);
        Tensor gg = Torch.Autograd.Grad([g.sum()], [x])[0]!;

        // d²/dx² P3 = 15x.
        gg.data<double>().ToArray().Should().Equal(7.5, 15.0, 30.0);
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        using var scope = torch.NewDisposeScope();
        var act = () => LegendrePolynomial3.Apply(null!);
        act.Should().Throw<ArgumentNullException>();
        var nullInput = () => LegendrePolynomial3.Apply([null!]);
        nullInput.Should().Throw<ArgumentNullException>().WithMessage("*inputs[0] is null*");
        var disposed = torch.ones(2);
        disposed.Dispose();
        var useDisposed = () => LegendrePolynomial3.Apply(disposed);
        useDisposed.Should().Throw<ObjectDisposedException>();
        var x = torch.ones(2, requires_grad: true);
        var nullOut = () => ReturnsNull.Apply(x);
        nullOut.Should().Throw<ArgumentNullException>().WithMessage("*ReturnsNull.Forward returned null as output 0*");
    }

    /// <summary>PyTorch's documentation example: P3(x) = (5x³ − 3x)/2.</summary>
    internal sealed class LegendrePolynomial3 : AutogradFunction<LegendrePolynomial3>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [0.5 * ((5 * inputs[0].pow(3)) - (3 * inputs[0]))];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs)
        {
            Tensor x = ctx.SavedTensors[0];
            return [gradOutputs[0] * 1.5 * ((5 * x.pow(2)) - 1)];
        }
    }

    private sealed class Scale : AutogradFunction<Scale>
    {
        internal static bool[]? LastNeeds { get; set; }

        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            LastNeeds = [.. ctx.NeedsInputGrad];
            ctx.SaveForBackward(inputs[1]);
            ctx.Items["factor"] = 2.0;
            return [inputs[0] * inputs[1] * 2.0];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs)
        {
            double factor = (double)ctx.Items["factor"]!;
            return [gradOutputs[0] * ctx.SavedTensors[0] * factor, null];
        }
    }

    private sealed class TooMany : AutogradFunction<TooMany>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [inputs[0] * 2];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [gradOutputs[0], gradOutputs[0]];
    }

    private sealed class TooFew : AutogradFunction<TooFew>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [inputs[0] * inputs[1]];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [gradOutputs[0]];
    }

    private sealed class ExtraNulls : AutogradFunction<ExtraNulls>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [inputs[0] * 2];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [gradOutputs[0] * 2, null, null];
    }

    private sealed class BadShape : AutogradFunction<BadShape>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [inputs[0] * 2];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [torch.ones(5)];
    }

    private sealed class Broadcast : AutogradFunction<Broadcast>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [inputs[0] * 2];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [gradOutputs[0].expand(2, 3)];
    }

    private sealed class DoubleInPlace : AutogradFunction<DoubleInPlace>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            inputs[0].mul_(2);
            ctx.MarkDirty(inputs[0]);
            return [inputs[0]];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [gradOutputs[0] * 2];
    }

    private sealed class Identity : AutogradFunction<Identity>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [inputs[0]];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [gradOutputs[0]];
    }

    private sealed class SortWithIndices : AutogradFunction<SortWithIndices>
    {
        internal static long[]? LastIndexGrad { get; set; }

        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            (Tensor values, Tensor indices) = inputs[0].sort();
            ctx.MarkNonDifferentiable(indices);
            ctx.SaveForBackward(indices);
            return [values, indices];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs)
        {
            LastIndexGrad = gradOutputs[1].data<long>().ToArray();
            Tensor indices = ctx.SavedTensors[0];
            return [torch.zeros_like(gradOutputs[0]).index_put_(gradOutputs[0], indices)];
        }
    }

    private sealed class TwoOutputs : AutogradFunction<TwoOutputs>
    {
        internal static bool Materialize { get; set; } = true;

        internal static bool SecondWasNull { get; set; }

        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            ctx.SetMaterializeGrads(Materialize);
            return [inputs[0].clone(), inputs[0].clone()];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs)
        {
            SecondWasNull = gradOutputs[1] is null;
            return [gradOutputs[0]];
        }
    }

    private sealed class Throws : AutogradFunction<Throws>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [inputs[0] * 2];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => throw new ArithmeticException("boom");
    }

    private sealed class ReturnsNull : AutogradFunction<ReturnsNull>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [null!];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [gradOutputs[0]];
    }
}
