using System.Numerics;
using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Interop;

/// <summary>
/// The seed's claim: <c>torch.from_numpy(a)</c> shares memory with <c>a</c> (both directions) while
/// <c>torch.tensor(a)</c> copies — here <see cref="Torch.FromArray{T}(T[], long[])"/> and <see cref="Torch.Tensor{T}(T[], long[])"/>.
/// </summary>
[Collection(PinCountCollection.Name)]
public class FromArrayTests
{
    [Fact]
    public void MutatingTheArrayChangesTheTensor()
    {
        float[] a = [1, 2, 3, 4, 5, 6];
        using torch.Tensor t = Torch.FromArray(a, 2, 3);
        a[4] = 50;
        using torch.Tensor element = t[1, 1];
        element.item<float>().Should().Be(50f);
        t.shape.Should().Equal(2, 3);
    }

    [Fact]
    public void MutatingTheTensorChangesTheArray()
    {
        double[] a = [1, 2, 3];
        using torch.Tensor t = Torch.FromArray(a);
        t.mul_(10);
        a.Should().Equal(10, 20, 30);
        t.AsSpan<double>()[0] = -1;
        a[0].Should().Be(-1);
    }

    [Fact]
    public void TensorCopiesSoNeitherSeesTheOther()
    {
        float[] a = [1, 2, 3, 4];
        using torch.Tensor t = Torch.Tensor(a, 2, 2);
        a[0] = 100;
        t.ToArray<float>().Should().Equal(1, 2, 3, 4);
        t.add_(1);
        a.Should().Equal(100, 2, 3, 4);
    }

    [Fact]
    public void FromArrayAliasesTheArraysAddress()
    {
        int[] a = [7, 8, 9];
        using torch.Tensor t = Torch.FromArray(a);
        unsafe
        {
            fixed (int* p = a)
            {
                TensorInterop.DataPointer(t).Should().Be((IntPtr)p);
            }
        }
    }

    [Fact]
    public void AViewKeepsTheArrayPinnedAfterTheBaseIsDisposed()
    {
        long before = PinnedMemory.LiveCount;
        float[] a = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
        torch.Tensor baseTensor = Torch.FromArray(a, 10, 100);
        torch.Tensor view = baseTensor.narrow(0, 5, 2);
        baseTensor.Dispose();
        PinnedMemory.LiveCount.Should().Be(before + 1, "the view still uses the array");

        // Compacting collections must not move the array while the view uses it.
        for (int i = 0; i < 3; i++)
        {
            _ = new byte[100_000];
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        view.ToArray<float>().Should().Equal(Enumerable.Range(500, 200).Select(i => (float)i));
        a[550] = -1;
        view.ToArray<float>()[50].Should().Be(-1, "the view still aliases the array");
        view.Dispose();
        PinnedMemory.LiveCount.Should().Be(before, "the last view released the pin");
    }

    [Fact]
    public void FromMemoryAliasesASlice()
    {
        int[] a = [0, 1, 2, 3, 4, 5, 6, 7];
        using torch.Tensor t = Torch.FromMemory(a.AsMemory(2, 4), 2, 2);
        t.ToArray<int>().Should().Equal(2, 3, 4, 5);
        t.fill_(9);
        a.Should().Equal(0, 1, 9, 9, 9, 9, 6, 7);
    }

    [Fact]
    public void EveryElementTypeRoundTripsWithTheRightDtype()
    {
        Check(new[] { true, false, true }, torch.ScalarType.Bool);
        Check(new byte[] { 0, 255, 7 }, torch.ScalarType.Byte);
        Check(new sbyte[] { -128, 127, 0 }, torch.ScalarType.Int8);
        Check(new short[] { short.MinValue, short.MaxValue, 1 }, torch.ScalarType.Int16);
        Check(new[] { int.MinValue, int.MaxValue, 1 }, torch.ScalarType.Int32);
        Check(new[] { long.MinValue, long.MaxValue, 1 }, torch.ScalarType.Int64);
        Check(new[] { (Half)1.5, Half.NegativeInfinity, Half.Epsilon }, torch.ScalarType.Float16);
        Check(new[] { (BFloat16)1.5f, (BFloat16)(-2f), BFloat16.MaxValue }, torch.ScalarType.BFloat16);
        Check(new[] { 1.5f, float.NaN, -0f }, torch.ScalarType.Float32);
        Check(new[] { 1.5, double.Epsilon, double.MaxValue }, torch.ScalarType.Float64);
        Check(new[] { new Complex(1, -2), new Complex(0, 3.5), Complex.Zero }, torch.ScalarType.ComplexFloat64);

        static void Check<T>(T[] values, torch.ScalarType dtype)
            where T : unmanaged
        {
            using torch.Tensor alias = Torch.FromArray(values);
            using torch.Tensor copy = Torch.Tensor(values);
            alias.dtype.Should().Be(dtype);
            copy.dtype.Should().Be(dtype);
            alias.ToArray<T>().Should().Equal(values);
            copy.ToArray<T>().Should().Equal(values);
            copy.AsReadOnlySpan<T>().ToArray().Should().Equal(values);
        }
    }

    [Fact]
    public void TorchSeesTheSameValuesAsDotNet()
    {
        // LibTorch's own kernels read the aliased memory: its sum equals a double-precision sum of the array.
        float[] a = Enumerable.Range(1, 100).Select(i => i * 0.25f).ToArray();
        using torch.Tensor t = Torch.FromArray(a, 10, 10);
        using torch.Tensor sum = t.sum(torch.ScalarType.Float64);
        sum.item<double>().Should().Be(a.Sum(x => (double)x));
    }

    [Fact]
    public void EmptyArraysMakeEmptyTensors()
    {
        using torch.Tensor t = Torch.FromArray(Array.Empty<float>());
        t.shape.Should().Equal(0);
        t.ToArray<float>().Should().BeEmpty();
        using torch.Tensor shaped = Torch.FromArray(Array.Empty<int>(), 3, 0);
        shaped.shape.Should().Equal(3, 0);
    }

    [Fact]
    public void ShapeMismatchIsAnArgumentExceptionNamingBothCounts()
    {
        long before = PinnedMemory.LiveCount;
        Action act = () => Torch.FromArray(new float[5], 2, 3);
        act.Should().Throw<ArgumentException>().WithMessage("*[2, 3] has 6 elements*data has 5*");
        Action negative = () => Torch.FromArray(new float[6], -2, -3);
        negative.Should().Throw<ArgumentException>().WithMessage("*negative*");
        Action copy = () => Torch.Tensor(new float[5], 6);
        copy.Should().Throw<ArgumentException>();
        Action nul = () => Torch.FromArray<float>(null!);
        nul.Should().Throw<ArgumentNullException>();
        PinnedMemory.LiveCount.Should().Be(before, "a rejected shape pins nothing");
    }

    [Fact]
    public void UnsupportedElementTypesAreRefusedClearly()
    {
        Action act = () => Torch.FromArray(new ushort[3]);
        act.Should().Throw<NotSupportedException>().WithMessage("*UInt16*uint16*");
        Action dec = () => Torch.Tensor(new decimal[1]);
        dec.Should().Throw<NotSupportedException>().WithMessage("*Decimal*Supported element types*");
    }
}
