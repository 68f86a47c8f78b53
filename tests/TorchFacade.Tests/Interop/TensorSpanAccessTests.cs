using System.Numerics;
using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Interop;

/// <summary><c>x.numpy()</c> (AsSpan, zero-copy) and <c>x.numpy().copy()</c> (ToArray), with their error messages.</summary>
public class TensorSpanAccessTests
{
    [Fact]
    public void AsSpanIsZeroCopyBothWays()
    {
        using torch.Tensor t = torch.arange(6, dtype: torch.ScalarType.Float32).reshape(2, 3);
        Span<float> span = t.AsSpan<float>();
        span.ToArray().Should().Equal(0, 1, 2, 3, 4, 5);
        span[5] = 42;
        using (torch.Tensor e = t[1, 2])
        {
            e.item<float>().Should().Be(42);
        }

        t.add_(1);
        span[0].Should().Be(1);
        t.AsReadOnlySpan<float>()[5].Should().Be(43);
    }

    [Fact]
    public void AsSpanOfAContiguousViewStartsAtTheViewsOffset()
    {
        using torch.Tensor t = torch.arange(10, dtype: torch.ScalarType.Int64);
        using torch.Tensor tail = t.narrow(0, 4, 3);
        tail.AsSpan<long>().ToArray().Should().Equal(4, 5, 6);
    }

    [Fact]
    public void ToArrayGathersNonContiguousViewsInCOrder()
    {
        using torch.Tensor t = torch.arange(6, dtype: torch.ScalarType.Int32).reshape(2, 3);
        using torch.Tensor tt = t.t();
        tt.is_contiguous().Should().BeFalse();
        tt.ToArray<int>().Should().Equal(0, 3, 1, 4, 2, 5);
        using torch.Tensor expanded = torch.tensor(new[] { 1.5, 2.5 }).expand(3, 2);
        expanded.ToArray<double>().Should().Equal(1.5, 2.5, 1.5, 2.5, 1.5, 2.5);
    }

    [Fact]
    public void ToArrayCopies()
    {
        using torch.Tensor t = torch.ones(3);
        float[] copy = t.ToArray<float>();
        copy[0] = 5;
        using torch.Tensor first = t[0];
        first.item<float>().Should().Be(1);
    }

    [Fact]
    public void ComplexAndBFloat16SpansReadTheRightBits()
    {
        using torch.Tensor c = torch.complex(torch.tensor(new[] { 1.0, 2.0 }), torch.tensor(new[] { -3.0, 4.5 }));
        c.AsSpan<Complex>().ToArray().Should().Equal(new Complex(1, -3), new Complex(2, 4.5));
        using torch.Tensor b = torch.tensor(new[] { 1.0f, -2.5f }).to(torch.ScalarType.BFloat16);
        b.AsSpan<BFloat16>().ToArray().Select(x => (float)x).Should().Equal(1.0f, -2.5f);
    }

    [Fact]
    public void WrongElementTypeNamesBothTypes()
    {
        using torch.Tensor t = torch.ones(2);
        Action act = () => t.AsSpan<double>();
        act.Should().Throw<ArgumentException>().WithMessage("*float32*float*Double*float64*");
        Action arr = () => t.ToArray<int>();
        arr.Should().Throw<ArgumentException>().WithMessage("*float32*Int32*");
    }

    [Fact]
    public void NonContiguousSuggestsContiguous()
    {
        using torch.Tensor t = torch.ones(2, 3);
        using torch.Tensor tt = t.t();
        Action act = () => tt.AsReadOnlySpan<float>();
        act.Should().Throw<InvalidOperationException>().WithMessage("*contiguous*strides [1, 3]*Contiguous()*");
    }

    [Fact]
    public void NonCpuTensorsAreRefused()
    {
        // The meta device has no memory at all; it stands in for CUDA, which this machine lacks.
        using torch.Tensor meta = torch.empty(new long[] { 3 }, device: new torch.Device(DeviceType.META));
        Action act = () => meta.AsSpan<float>();
        act.Should().Throw<InvalidOperationException>().WithMessage("*CPU tensor*meta*ToArray*");
    }

    [Fact]
    public void DisposedTensorsAreRefused()
    {
        torch.Tensor t = torch.ones(2);
        t.Dispose();
        Action span = () => t.AsSpan<float>();
        span.Should().Throw<ObjectDisposedException>().WithMessage("*disposed*");
        Action arr = () => t.ToArray<float>();
        arr.Should().Throw<ObjectDisposedException>();
        Action save = () => Npy.Save(Path.Combine(Path.GetTempPath(), "never-written.npy"), t);
        save.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void ZeroDimensionalAndEmptyTensors()
    {
        using torch.Tensor scalar = torch.tensor(2.5);
        scalar.AsSpan<double>().ToArray().Should().Equal(2.5);
        scalar.ToArray<double>().Should().Equal(2.5);
        using torch.Tensor empty = torch.empty(0, 4);
        empty.AsSpan<float>().Length.Should().Be(0);
        empty.ToArray<float>().Should().BeEmpty();
    }
}
