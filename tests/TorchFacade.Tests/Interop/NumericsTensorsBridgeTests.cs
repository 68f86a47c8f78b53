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
}
