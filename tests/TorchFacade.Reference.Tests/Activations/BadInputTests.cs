using FluentAssertions;
using TorchFacade.Reference.Activations;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>Bad input gets a specific exception whose message says what was wrong, before LibTorch is called.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void GluRejectsAnOddSizedDimension()
    {
        using var scope = NewDisposeScope();
        var act = () => new GLU(1).call(ones(2, 3));
        act.Should().Throw<ArgumentException>().WithMessage("*even*3*");
    }

    [Fact]
    public void GluRejectsScalars()
    {
        using var scope = NewDisposeScope();
        var act = () => new GLU().call(tensor(1f));
        act.Should().Throw<ArgumentException>().WithMessage("*0-d*");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-3)]
    public void SoftmaxRejectsAnOutOfRangeDimension(long dim)
    {
        using var scope = NewDisposeScope();
        var act = () => new Softmax(dim).call(ones(2, 3));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[-2, 1]*");
        var log = () => new LogSoftmax(dim).call(ones(2, 3));
        log.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void PreluRejectsAWeightCountThatIsNeitherOneNorTheChannelCount()
    {
        using var scope = NewDisposeScope();
        var act = () => new PReLU(3).call(ones(2, 4, 5));
        act.Should().Throw<ArgumentException>().WithMessage("*3 weights*4 channels*");
        var ctor = () => new PReLU(0);
        ctor.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void IntegerDtypesAreRejected()
    {
        using var scope = NewDisposeScope();
        var ints = ones(3, ScalarType.Int64);
        foreach (nn.Module<Tensor, Tensor> module in new nn.Module<Tensor, Tensor>[] { new Sigmoid(), new ReLU(), new Softmax(0), new GLU(0), new PReLU() })
        {
            var act = () => module.call(ints);
            act.Should().Throw<ArgumentException>().WithMessage("*floating-point*Int64*");
        }
    }

    [Fact]
    public void MismatchedSpanLengthsAreRejected()
    {
        var forward = () => ElementwiseKernel.Forward<float, SigmoidOperator>(new float[4], new float[3], default);
        forward.Should().Throw<ArgumentException>().WithMessage("*length mismatch*");
        var backward = () => ElementwiseKernel.Backward<double, GeluTanhOperator>(new double[4], new double[5], new double[4], default);
        backward.Should().Throw<ArgumentException>().WithMessage("*length mismatch*");
        var layout = () => SoftmaxKernel.Forward<float>(new float[6], new float[6], new ReductionLayout(2, 2, 2));
        layout.Should().Throw<ArgumentException>().WithMessage("*6 elements*");
        var glu = () => GluKernel.Forward<float>(new float[6], new float[3], new ReductionLayout(1, 3, 2));
        glu.Should().Throw<ArgumentException>().WithMessage("*even*");
        var prelu = () => PreluKernel.Forward<float>(new float[6], new float[2], new float[6], new ReductionLayout(1, 3, 2));
        prelu.Should().Throw<ArgumentException>().WithMessage("*2 weights*3 channels*");
    }

    [Fact]
    public void UnsupportedKernelElementTypesAreRejected()
    {
        var act = () => ElementwiseKernel.Forward<Half, ReluOperator>(new Half[2], new Half[2], default);
        act.Should().Throw<NotSupportedException>().WithMessage("*float and double*");
    }

    [Fact]
    public void BadHyperparametersAreRejected()
    {
        FluentActions.Invoking(() => new GELU("exact")).Should().Throw<ArgumentException>().WithMessage("*\"none\" or \"tanh\"*");
        FluentActions.Invoking(() => new Softplus(0)).Should().Throw<ArgumentException>().WithMessage("*beta*");
        FluentActions.Invoking(() => new LeakyReLU(double.NaN)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new Swish(double.PositiveInfinity)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new ELU(double.NaN)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => KernelOptions.MaxDegreeOfParallelism = 0).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void NullInputIsRejected()
    {
        FluentActions.Invoking(() => new Tanh().call(null!)).Should().Throw<ArgumentNullException>();
    }
}
