using FluentAssertions;
using TorchFacade.Printing;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Examples;

/// <summary>PyTorchFormat vs what PyTorch 2.x prints (the strings below are PyTorch's documented/observed str() output rules).</summary>
public sealed class PyTorchFormatTests
{
    [Theory]
    [InlineData(0.03125, 4, "0.0312")]
    [InlineData(0.55, 4, "0.5500")]
    [InlineData(-1e-5, 4, "-0.0000")]
    [InlineData(2.5, 0, "2")]
    [InlineData(3.5, 0, "4")]
    [InlineData(123456.789, 2, "123456.79")]
    public void Fixed_rounds_half_to_even_on_the_exact_binary_value(double v, int precision, string expected) =>
        PythonNumberFormat.Fixed(v, precision).Should().Be(expected);

    [Theory]
    [InlineData(123456.0, "1.2346e+05")]
    [InlineData(1e-5, "1.0000e-05")]
    [InlineData(-99999500000.0, "-1.0000e+11")]
    [InlineData(100005.0, "1.0000e+05")]
    [InlineData(100015.0, "1.0002e+05")]
    [InlineData(0.0, "0.0000e+00")]
    public void Scientific_matches_python(double v, string expected) =>
        PythonNumberFormat.Scientific(v, 4).Should().Be(expected);

    [Theory]
    [InlineData(0.55, "0.55")]
    [InlineData(4.5, "4.5")]
    [InlineData(1.0, "1.0")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(1e16, "1e+16")]
    [InlineData(123.0, "123.0")]
    [InlineData(0.0001, "0.0001")]
    public void Repr_matches_python(double v, string expected) =>
        PythonNumberFormat.Repr(v).Should().Be(expected);

    [Fact]
    public void Prints_matrices_like_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        PyTorchFormat.Format(torch.full(2, 2, 4.5f)).Should().Be("tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])");
        PyTorchFormat.Format(torch.ones(2, 2, requires_grad: true)).Should().Be("tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)");
        PyTorchFormat.Format(torch.zeros(3)).Should().Be("tensor([0., 0., 0.])");
        PyTorchFormat.Format(torch.tensor(new float[] { 1, -2.5f, 100 })).Should().Be("tensor([  1.0000,  -2.5000, 100.0000])");
    }

    [Fact]
    public void Uses_scientific_notation_for_wide_ranges_and_names_non_default_dtypes()
    {
        using var scope = torch.NewDisposeScope();
        PyTorchFormat.Format(torch.tensor(new double[] { 1e-5, 1 })).Should().Be("tensor([1.0000e-05, 1.0000e+00], dtype=torch.float64)");
        PyTorchFormat.Format(torch.tensor(new long[] { 1, -20, 3 })).Should().Be("tensor([  1, -20,   3])");
        PyTorchFormat.Format(torch.tensor(new[] { true, false })).Should().Be("tensor([ True, False])");
        PyTorchFormat.Format(torch.tensor(new int[] { 1, 2 })).Should().Be("tensor([1, 2], dtype=torch.int32)");
        PyTorchFormat.Format(torch.tensor(3.5)).Should().Be("tensor(3.5000, dtype=torch.float64)");
        PyTorchFormat.Format(torch.tensor(new float[] { float.NaN, float.PositiveInfinity, 1 })).Should().Be("tensor([nan, inf, 1.])");
        PyTorchFormat.Format(torch.zeros(0, 3)).Should().Be("tensor([], size=(0, 3))");
    }

    [Fact]
    public void Wraps_long_rows_and_summarises_large_tensors()
    {
        using var scope = torch.NewDisposeScope();
        string wrapped = PyTorchFormat.Format(torch.arange(30, dtype: torch.float32));
        wrapped.Should().StartWith("tensor([ 0.,  1.,  2.,").And.Contain(",\n        ");
        PyTorchFormat.Format(torch.arange(2000)).Should().Be("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
    }

    [Fact]
    public void Summarises_matrices_with_ellipsis_rows_and_columns()
    {
        using var scope = torch.NewDisposeScope();
        const string expected =
            "tensor([[   0,    1,    2,  ...,   47,   48,   49],\n" +
            "        [  50,   51,   52,  ...,   97,   98,   99],\n" +
            "        [ 100,  101,  102,  ...,  147,  148,  149],\n" +
            "        ...,\n" +
            "        [1850, 1851, 1852,  ..., 1897, 1898, 1899],\n" +
            "        [1900, 1901, 1902,  ..., 1947, 1948, 1949],\n" +
            "        [1950, 1951, 1952,  ..., 1997, 1998, 1999]])";
        PyTorchFormat.Format(torch.arange(2000).reshape(40, 50)).Should().Be(expected);
    }

    [Fact]
    public void Separates_matrices_of_a_3d_tensor_with_a_blank_line()
    {
        using var scope = torch.NewDisposeScope();
        PyTorchFormat.Format(torch.arange(8).reshape(2, 2, 2)).Should().Be(
            "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])");
    }

    [Fact]
    public void Prints_sizes_like_torch_size() =>
        PyTorchFormat.Size([3, 9, 7, 3]).Should().Be("torch.Size([3, 9, 7, 3])");
}
