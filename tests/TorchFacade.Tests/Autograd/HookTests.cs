using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Autograd;

/// <summary>Tensor hooks, retain_grad, version counter and inference flag through LibTorch's C++ ABI (Linux x64).</summary>
public class HookTests
{
    private static bool Supported => AutogradNative.Api is not null;

    [Fact]
    public void AbiCalibrationSucceedsOnLinuxX64()
    {
        if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            AutogradNative.Api.Should().NotBeNull(AutogradNative.UnsupportedReason);
            AutogradNative.Api!.NextEdgesOffset.Should().BeGreaterThan(0);
            AutogradNative.Api.VariableOffset.Should().BeGreaterThan(AutogradNative.Api.NextEdgesOffset);
        }
    }

    [Fact]
    public void HookReplacesGradientOfNonLeafAndRetainedGradShowsIt()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1.0, 2.0, 3.0 }, requires_grad: true);
        var y = x * 2;
        y.RetainGrad();
        var seen = new List<double[]>();
        using var h1 = y.RegisterHook(g => { seen.Add(g.data<double>().ToArray()); return g * 10; });
        using var h2 = y.RegisterHook(g => { seen.Add(g.data<double>().ToArray()); return null; });
        y.sum().Backward();
        seen.Should().HaveCount(2);
        seen[0].Should().Equal(1.0, 1.0, 1.0);
        seen[1].Should().Equal(10.0, 10.0, 10.0);
        y.Grad!.data<double>().ToArray().Should().Equal(10.0, 10.0, 10.0);
        x.Grad!.data<double>().ToArray().Should().Equal(20.0, 20.0, 20.0);
    }

    [Fact]
    public void HookOnLeafAndRemoval()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        int calls = 0;
        var handle = x.RegisterHook(g => { calls++; return g * 3; });
        (x * x).sum().Backward();
        x.Grad!.data<double>().ToArray().Should().Equal(6.0, 12.0);
        handle.Remove();
        x.Grad = null;
        (x * x).sum().Backward();
        calls.Should().Be(1);
        x.Grad!.data<double>().ToArray().Should().Equal(2.0, 4.0);
    }

    [Fact]
    public void ThrowingHookSurfacesFromBackward()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        using var h = x.RegisterHook(_ => throw new FormatException("boom"));
        var act = () => (x * 2).sum().Backward();
        act.Should().Throw<FormatException>().WithMessage("boom");
    }

    [Fact]
    public void PostAccumulateGradHookSeesAccumulatedGrad()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var seen = new List<double[]>();
        using var h = x.RegisterPostAccumulateGradHook(leaf => seen.Add(leaf.Grad!.data<double>().ToArray()));
        using var h2 = x.RegisterPostAccumulateGradHook(leaf => seen.Add(new[] { -1.0 }));
        (x * 5).sum().Backward();
        (x * 5).sum().Backward();
        seen.Should().HaveCount(4);
        seen[0].Should().Equal(5.0, 5.0);
        seen[1].Should().Equal(-1.0);
        seen[2].Should().Equal(10.0, 10.0);
    }

    [Fact]
    public void RetainsGradVersionAndInference()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        var y = x * 2;
        x.RetainsGrad.Should().BeFalse();
        x.RetainGrad();
        x.RetainsGrad.Should().BeFalse();
        y.RetainsGrad.Should().BeFalse();
        y.RetainGrad();
        y.RetainsGrad.Should().BeTrue();

        var z = torch.zeros(3);
        z.Version.Should().Be(0);
        z.add_(1);
        z.Version.Should().Be(1);
        z[0].fill_(2);
        z.Version.Should().Be(2);
        z.IsInference.Should().BeFalse();
        torch.Tensor inf;
        using (Torch.InferenceMode())
        {
            inf = torch.ones(2);
        }

        inf.IsInference.Should().BeTrue();
        var act = () => inf.Version;
        act.Should().Throw<InvalidOperationException>().WithMessage("*Inference tensors do not track version counter.*");
        var noGrad = () => z.RetainGrad();
        noGrad.Should().Throw<InvalidOperationException>().WithMessage("*can't retain_grad on Tensor that has requires_grad=False*");
    }

    [Fact]
    public void NextFunctionsWalkTheGraph()
    {
        if (!Supported)
        {
            return;
        }

        using var scope = torch.NewDisposeScope();
        var a = torch.ones(2, requires_grad: true);
        var b = torch.ones(2);
        var c = (a * b).sum();
        var fn = c.GradFn!;
        fn.Name.Should().Be("SumBackward0");
        var next = fn.NextFunctions;
        next.Should().HaveCount(1);
        next[0].Function!.Name.Should().Be("MulBackward0");
        var mul = next[0].Function!.NextFunctions;
        mul.Should().HaveCount(2);
        mul[0].Function!.Name.Should().Be("AccumulateGrad");
        mul[0].InputNr.Should().Be(0);
        mul[1].Function.Should().BeNull();
        using var leaf = mul[0].Function!.Variable!;
        AutogradNative.ImplOf(leaf).Should().Be(AutogradNative.ImplOf(a));
        next[0].Function!.Variable.Should().BeNull();
        next[0].Function.Should().Be(c.GradFn!.NextFunctions[0].Function);
    }
}
