using FluentAssertions;
using TorchSharp;
using Xunit;
using NTensor = System.Numerics.Tensors.Tensor;

namespace TorchFacade.Tests.Interop;

/// <summary>The bridge to System.Numerics.Tensors: zero-copy where layouts allow, copy otherwise.</summary>
[Collection(PinCountCollection.Name)]
public class NumericsTensorsBridgeTests
{
    [Fact]
    public void AsTensorSpanIsZeroCopyWithTorchsShapeAndStrides()
    {
        using torch.Tensor t = torch.arange(12, dtype: torch.ScalarType.Float32).reshape(3, 4);
        System.Numerics.Tensors.TensorSpan<float> span = t.AsTensorSpan<float>();
        span.Lengths.ToArray().Should().Equal(3, 4);
        span.Strides.ToArray().Should().Equal(4, 1);
        span[[2, 1]].Should().Be(9);
        span[[0, 3]] = -5;
        using torch.Tensor e = t[0, 3];
        e.item<float>().Should().Be(-5);
    }

    [Fact]
    public void AsTensorSpanDescribesTransposedAndBroadcastViewsWithoutCopying()
    {
        using torch.Tensor t = torch.arange(6, dtype: torch.ScalarType.Int64).reshape(2, 3);
        using torch.Tensor tt = t.t();
        System.Numerics.Tensors.TensorSpan<long> span = tt.AsTensorSpan<long>();
        span.Lengths.ToArray().Should().Equal(3, 2);
        span.Strides.ToArray().Should().Equal(1, 3);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                span[[i, j]].Should().Be((j * 3) + i);
            }
        }

        using torch.Tensor row = torch.tensor(new[] { 1, 2, 3 });
        using torch.Tensor broadcast = row.expand(4, 3);
        System.Numerics.Tensors.TensorSpan<int> b = broadcast.AsTensorSpan<int>();
        b.Strides.ToArray().Should().Equal(0, 1);
        b[[3, 2]].Should().Be(3);
    }

    [Fact]
    public void FromTensorOfADenseTensorAliasesIt()
    {
        float[] backing = [1, 2, 3, 4, 5, 6];
        System.Numerics.Tensors.Tensor<float> source = NTensor.Create(backing, [2, 3]);
        long before = PinnedMemory.LiveCount;
        using (torch.Tensor t = Torch.FromTensor(source))
        {
            t.shape.Should().Equal(2, 3);
            t.ToArray<float>().Should().Equal(backing);
            PinnedMemory.LiveCount.Should().Be(before + 1, "the dense source is aliased, not copied");
            t.mul_(2);
            source[[1, 2]].Should().Be(12, "writes through torch reach the .NET tensor");
        }

        PinnedMemory.LiveCount.Should().Be(before);
    }

    [Fact]
    public void FromTensorOfAStridedTensorCopiesInCOrder()
    {
        int[] backing = [0, 1, 2, 3, 4, 5];
        // A transposed layout: lengths (3, 2), strides (1, 3).
        System.Numerics.Tensors.Tensor<int> transposed = NTensor.Create(backing, [3, 2], [1, 3]);
        long before = PinnedMemory.LiveCount;
        using torch.Tensor t = Torch.FromTensor(transposed);
        PinnedMemory.LiveCount.Should().Be(before, "a non-row-major source is copied");
        t.shape.Should().Equal(3, 2);
        t.ToArray<int>().Should().Equal(0, 3, 1, 4, 2, 5);
    }

    [Fact]
    public void AsTensorSpanChecksDtypeAndDisposal()
    {
        torch.Tensor t = torch.ones(2);
        Action wrong = () => t.AsTensorSpan<int>();
        wrong.Should().Throw<ArgumentException>().WithMessage("*float32*");
        t.Dispose();
        Action disposed = () => t.AsTensorSpan<float>();
        disposed.Should().Throw<ObjectDisposedException>();
    }

    /// <summary>
    /// Shapes with a dimension of length 1 or 0 are valid views (PyTorch and NumPy call them contiguous whatever the stride
    /// of a length-1 dimension, and an empty tensor has no element to reach): the span has the tensor's lengths and
    /// every element where torch has it.
    /// </summary>
    /// <param name="shape">The tensor's shape.</param>
    [Theory]
    [InlineData(new long[] { 3, 1 })]
    [InlineData(new long[] { 1, 4 })]
    [InlineData(new long[] { 1 })]
    [InlineData(new long[] { 1, 1 })]
    [InlineData(new long[] { 2, 1, 3 })]
    [InlineData(new long[] { 1, 3, 1, 2 })]
    public void AsTensorSpanViewsTensorsWithLengthOneDimensions(long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        using torch.Tensor t = torch.arange(n, dtype: torch.ScalarType.Float64).reshape(shape);
        System.Numerics.Tensors.TensorSpan<double> span = t.AsTensorSpan<double>();
        span.Lengths.ToArray().Select(l => (long)l).Should().Equal(shape);
        span.FlattenedLength.Should().Be((nint)n);
        ExpectSameElements(span, t);
        var last = shape.Select(d => (nint)(d - 1)).ToArray();
        span[last] = -1;
        using torch.Tensor flat = t.flatten();
        using torch.Tensor lastElement = flat[n - 1];
        lastElement.item<double>().Should().Be(-1, "writes through the span reach the tensor");
    }

    [Fact]
    public void AsTensorSpanViewsLengthOneSlicesOfStridedTensors()
    {
        using torch.Tensor t = torch.arange(24, dtype: torch.ScalarType.Int32).reshape(4, 6);
        using torch.Tensor column = t[.., 2..3]; // shape [4, 1], strides [6, 1]
        using torch.Tensor row = t.t()[1..2, ..]; // shape [1, 4], strides [1, 6]
        using torch.Tensor picked = t[1..2, 3..4]; // shape [1, 1]
        foreach (torch.Tensor view in new[] { column, row, picked })
        {
            System.Numerics.Tensors.TensorSpan<int> span = view.AsTensorSpan<int>();
            span.Lengths.ToArray().Select(l => (long)l).Should().Equal(view.shape);
            ExpectSameElements(span, view);
        }
    }

    [Theory]
    [InlineData(new long[] { 0 })]
    [InlineData(new long[] { 2, 0 })]
    [InlineData(new long[] { 0, 3 })]
    [InlineData(new long[] { 1, 0, 1 })]
    public void AsTensorSpanOfAnEmptyTensorIsAnEmptySpanWithItsLengths(long[] shape)
    {
        using torch.Tensor t = torch.zeros(shape, dtype: torch.ScalarType.Float32);
        System.Numerics.Tensors.TensorSpan<float> span = t.AsTensorSpan<float>();
        span.Lengths.ToArray().Select(l => (long)l).Should().Equal(shape);
        span.FlattenedLength.Should().Be(0);
        span.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void AsTensorSpanOfAnOverlappingViewSaysWhatToDo()
    {
        using torch.Tensor t = torch.arange(6, dtype: torch.ScalarType.Float32);
        using torch.Tensor overlapping = t.as_strided([3, 3], [1, 1]);
        Action act = () => overlapping.AsTensorSpan<float>();
        act.Should().Throw<InvalidOperationException>().WithMessage("*overlap*contiguous()*");
    }

    private static void ExpectSameElements<T>(System.Numerics.Tensors.TensorSpan<T> span, torch.Tensor t)
        where T : unmanaged
    {
        long[] shape = t.shape;
        T[] expected = t.contiguous().ToArray<T>();
        var index = new nint[shape.Length];
        for (long k = 0; k < expected.Length; k++)
        {
            long rest = k;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = (nint)(rest % shape[d]);
                rest /= shape[d];
            }

            span[index].Should().Be(expected[k], $"element {k} (index [{string.Join(", ", index)}])");
        }
    }
}
