using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests;

public class SmokeTests
{
    [Fact]
    public void LibTorchLoadsAndAdds()
    {
        using var x = torch.ones(2, 2);
        using var y = x + 2;
        y.sum().item<float>().Should().Be(12f);
    }
}
