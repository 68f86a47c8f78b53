using FluentAssertions;
using TorchFacade.Reference.Layers;
using Xunit;

namespace TorchFacade.Reference.Tests.Layers;

public sealed class ConvShapeTests
{
    [Theory]
    [InlineData(32, 3, 1, 1, 1, 32)]
    [InlineData(32, 3, 2, 1, 1, 16)]
    [InlineData(32, 3, 1, 0, 2, 28)]
    [InlineData(7, 3, 2, 0, 1, 3)]
    [InlineData(10, 4, 3, 1, 2, 2)]
    public void Output_size_matches_the_worked_examples(long h, long k, long s, long p, long d, long expected) =>
        ConvShape.OutputSize(h, k, s, p, d).Should().Be(expected);

    [Theory]
    [InlineData(4, 1, 1, 2)]
    [InlineData(4, 3, 4, 5)]
    [InlineData(3, 1, 1, 1)]
    [InlineData(1, 1, 0, 0)]
    public void Same_padding_puts_the_odd_element_after(long k, long d, long before, long after) =>
        ConvShape.SamePadding(k, d).Should().Be((before, after));

    [Fact]
    public void Same_keeps_the_size_and_valid_means_zero_padding()
    {
        ConvShape.OutputSize(11, 4, "same", 1, 3).Should().Be(11);
        ConvShape.OutputSize(11, 4, "VALID").Should().Be(8);
    }

    [Fact]
    public void Transposed_size_follows_the_docstring() =>
        ConvShape.TransposedOutputSize(5, 3, stride: 2, padding: 1, outputPadding: 1).Should().Be(10);

    [Fact]
    public void Conv2d_helper_applies_per_dimension() =>
        ConvShape.Conv2d((32, 20), (3, 5), stride: (2, 1), padding: (1, 2)).Should().Be((16L, 20L));

    [Fact]
    public void Bad_arguments_are_rejected_with_a_reason()
    {
        FluentActions.Invoking(() => ConvShape.OutputSize(2, 5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*smaller than the dilated kernel*");
        FluentActions.Invoking(() => ConvShape.OutputSize(8, 3, stride: 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ConvShape.OutputSize(8, 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ConvShape.OutputSize(8, 3, padding: -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ConvShape.OutputSize(8, 3, "same", stride: 2)).Should().Throw<ArgumentException>().WithMessage("*strided*");
        FluentActions.Invoking(() => ConvShape.OutputSize(8, 3, "full")).Should().Throw<ArgumentException>().WithMessage("*same*valid*");
        FluentActions.Invoking(() => ConvShape.TransposedOutputSize(5, 3, stride: 2, outputPadding: 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*output_padding*");
    }
}
