using FluentAssertions;
using TorchFacade.Reference.Layers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Layers;

public sealed class PadTests
{
    [Theory]
    [InlineData(PadMode.Constant, new double[] { 0, 0, 1, 2, 3, 4, 0 })]
    [InlineData(PadMode.Reflect, new double[] { 3, 2, 1, 2, 3, 4, 3 })]
    [InlineData(PadMode.Replicate, new double[] { 1, 1, 1, 2, 3, 4, 4 })]
    [InlineData(PadMode.Circular, new double[] { 3, 4, 1, 2, 3, 4, 1 })]
    public void Pads_the_last_dimension_as_the_E3_table_says(PadMode mode, double[] expected)
    {
        using var x = torch.tensor(new double[] { 1, 2, 3, 4 }).reshape(1, 4);
        using var y = Pad.Apply(x, [2, 1], mode);
        y.data<double>().ToArray().Should().Equal(expected);
    }

    [Fact]
    public void The_pad_tuple_runs_from_the_last_dimension_backwards()
    {
        Pad.OutputShape([1, 3, 4, 4], [0, 1, 2, 2, 3, 3]).Should().Equal(1, 9, 8, 5);
        Pad.OutputShape([1, 3, 4, 4], [-1, -1]).Should().Equal(1, 3, 4, 2);
    }

    [Fact]
    public void Gradients_flow_through_the_padding()
    {
        using var x = torch.tensor(new double[] { 1, 2, 3, 4 }).reshape(1, 4).requires_grad_();
        using var y = Pad.Apply(x, [2, 1], PadMode.Reflect);
        y.sum().backward();
        // reflect (2,1) reads [3,2,1,2,3,4,3]: element 2 is read twice, element 3 three times.
        x.grad!.data<double>().ToArray().Should().Equal(1, 2, 3, 1);
    }

    [Fact]
    public void Bad_pads_are_rejected_with_a_reason()
    {
        FluentActions.Invoking(() => Pad.OutputShape([2, 3], [1, 1, 1])).Should().Throw<ArgumentException>().WithMessage("*even length*");
        FluentActions.Invoking(() => Pad.OutputShape([3], [1, 1, 1, 1])).Should().Throw<ArgumentException>().WithMessage("*only 1*");
        FluentActions.Invoking(() => Pad.OutputShape([1, 4], [4, 0], PadMode.Reflect)).Should().Throw<ArgumentException>().WithMessage("*smaller than the size*");
        FluentActions.Invoking(() => Pad.OutputShape([1, 4], [5, 0], PadMode.Circular)).Should().Throw<ArgumentException>().WithMessage("*must not exceed*");
        FluentActions.Invoking(() => Pad.OutputShape([4], [1, 1], PadMode.Replicate)).Should().Throw<ArgumentException>().WithMessage("*constant padding for other shapes*");
        FluentActions.Invoking(() => Pad.OutputShape([1, 2], [-2, -1])).Should().Throw<ArgumentException>().WithMessage("*negative size*");
    }
}
