using FluentAssertions;
using TorchFacade.Reference.Activations;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>The derivative at the kink x = 0 is LibTorch's, exactly (A.19 kink summary), in the module and the oracle.</summary>
public sealed class KinkTests
{
    private static double GradAtZero(nn.Module<Tensor, Tensor> module, ScalarType dtype = ScalarType.Float64)
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, dtype).requires_grad_(true);
        module.call(x).backward([ones(1, dtype)]);
        return x.grad!.to_type(ScalarType.Float64).item<double>();
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void KinksFollowLibTorch(ScalarType dtype)
    {
        GradAtZero(new ReLU(), dtype).Should().Be(0);
        GradAtZero(new LeakyReLU(0.01), dtype).Should().BeApproximately(0.01, 1e-9);
        GradAtZero(new LeakyReLU(0.2), dtype).Should().BeApproximately(0.2, 1e-8);
        GradAtZero(new PReLU(), dtype).Should().Be(0.25);
        GradAtZero(new ELU(1.0), dtype).Should().Be(1.0);
        GradAtZero(new ELU(0.5), dtype).Should().Be(0.5);
        GradAtZero(new SELU(), dtype).Should().BeApproximately(1.7580993408473766, dtype == ScalarType.Float64 ? 1e-15 : 2e-7);
        GradAtZero(new Mish(), dtype).Should().BeApproximately(0.6, dtype == ScalarType.Float64 ? 1e-15 : 1e-7);
        GradAtZero(new SiLU(), dtype).Should().Be(0.5);
        GradAtZero(new GELU(), dtype).Should().Be(0.5);
        GradAtZero(new GELU("tanh"), dtype).Should().Be(0.5);
        GradAtZero(new Swish(2.5), dtype).Should().Be(0.5);
        GradAtZero(new Softplus(3, 20), dtype).Should().Be(0.5);
        GradAtZero(new XTanh(), dtype).Should().Be(0);
        GradAtZero(new XSin(), dtype).Should().Be(0);
    }

    [Fact]
    public void KinksMatchLibTorchKernelsAtZero()
    {
        using var scope = NewDisposeScope();
        double LibGrad(Func<Tensor, Tensor> f)
        {
            var x = zeros(1, ScalarType.Float64).requires_grad_(true);
            f(x).backward([ones(1, ScalarType.Float64)]);
            return x.grad!.item<double>();
        }

        GradAtZero(new ReLU()).Should().Be(LibGrad(x => nn.functional.relu(x)));
        GradAtZero(new LeakyReLU()).Should().Be(LibGrad(x => nn.functional.leaky_relu(x, 0.01)));
        GradAtZero(new ELU()).Should().Be(LibGrad(x => nn.functional.elu(x, 1.0)));
        GradAtZero(new SELU()).Should().Be(LibGrad(x => nn.functional.selu(x)));
        GradAtZero(new Mish()).Should().BeApproximately(LibGrad(x => nn.functional.mish(x)), 1e-15);
    }

    [Fact]
    public void ReluDiffersFromClampMinAtZero()
    {
        // A.3: relu'(0) = 0 (threshold_backward), while autograd of clamp_min(x, 0) gives 1 at 0.
        using var scope = NewDisposeScope();
        var x = zeros(1, ScalarType.Float64).requires_grad_(true);
        x.clamp_min(0).backward([ones(1, ScalarType.Float64)]);
        x.grad!.item<double>().Should().Be(1);
        GradAtZero(new ReLU()).Should().Be(0);
    }

    [Fact]
    public void OracleKinks()
    {
        new ReLU().Derivative(0).Should().Be(0);
        new LeakyReLU(0.01).Derivative(0).Should().Be(0.01);
        new SELU().Derivative(0).Should().Be(SELU.Scale * SELU.Alpha);
        new ELU(0.7).Derivative(0).Should().Be(0.7);
        new Mish().Derivative(0).Should().BeApproximately(0.6, 1e-15);
    }

    [Fact]
    public void SoftplusThresholdIsStrict()
    {
        // A.14: at beta*x = 20 exactly the log1p branch is used, above it the identity.
        using var scope = NewDisposeScope();
        var module = new Softplus(1, 20);
        var x = tensor(new[] { 20.0, 20.000001 }, ScalarType.Float64);
        double[] y = module.call(x).data<double>().ToArray();
        y[0].Should().Be(20.0 + Math.Log(1 + Math.Exp(-20.0)), "at the threshold the log1p branch applies");
        y[1].Should().Be(20.000001);
        module.Value(20).Should().BeGreaterThan(20);
        module.Derivative(20.5).Should().Be(1);
    }

    [Fact]
    public void ReluPassesNanThrough()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { float.NaN, -1f, 2f }).requires_grad_(true);
        var y = new ReLU().call(x);
        y.backward([ones(3)]);
        float[] ys = y.detach().data<float>().ToArray();
        float.IsNaN(ys[0]).Should().BeTrue();
        x.grad!.data<float>().ToArray().Should().Equal(1f, 0f, 1f); // NaN <= 0 is false: g passes, as in LibTorch
    }
}
