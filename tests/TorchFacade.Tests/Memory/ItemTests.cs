using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Memory;

/// <summary>Seed: "item() turns a one-element tensor into a Python number".</summary>
public class ItemTests
{
    [Fact]
    public void ItemReadsScalarAndOneElementTensors()
    {
        using var scope = torch.NewDisposeScope();
        torch.tensor(2.5f).Item<float>().Should().Be(2.5f);
        torch.full(new long[] { 1, 1, 1 }, 7.0).Item<double>().Should().Be(7.0);
        torch.tensor(new long[] { 42 }).Item<long>().Should().Be(42L);
        torch.tensor(true).Item<bool>().Should().BeTrue();
    }

    [Fact]
    public void ItemConvertsLikePyTorch()
    {
        using var scope = torch.NewDisposeScope();
        torch.tensor(0.1f).Item<double>().Should().Be((double)0.1f, "float32 widens exactly to double, as Python's float(x.item())");
        torch.tensor(-2.7).Item<int>().Should().Be(-2, "int(x.item()) truncates toward zero");
        torch.tensor(3).Item<double>().Should().Be(3.0);
        torch.tensor(0.0f).Item<bool>().Should().BeFalse();
        torch.tensor(1.5).Item<Half>().Should().Be((Half)1.5);
    }

    [Fact]
    public void ItemOnManyElementsNamesShapeAndCount()
    {
        using var x = torch.ones(2, 3);
        var act = () => x.Item<float>();
        act.Should().Throw<InvalidOperationException>().WithMessage("*6 elements*[2, 3]*exactly one element*");
        using var empty = torch.ones(0);
        var none = () => empty.Item<float>();
        none.Should().Throw<InvalidOperationException>().WithMessage("*0 elements*[0]*");
    }

    [Fact]
    public void ItemOfUnsupportedTypeThrowsNotSupported()
    {
        using var x = torch.tensor(1f);
        var act = () => x.Item<decimal>();
        act.Should().Throw<NotSupportedException>().WithMessage("*Decimal*");
    }
}
