using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Devices;

/// <summary>Seed: torch.cuda.is_available(), torch.device("cuda"), tensor.to(device), tensor.to('CPU').</summary>
public class DeviceTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("CPU")]
    [InlineData(" Cpu ")]
    public void ToCpuKeepsValues(string device)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(4, dtype: torch.float32);
        var moved = x.To(device);
        moved.device_type.Should().Be(DeviceType.CPU);
        moved.data<float>().ToArray().Should().Equal(0f, 1f, 2f, 3f);
        x.To(Torch.Device(device)).device_type.Should().Be(DeviceType.CPU);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("mps")]
    [InlineData("")]
    public void BadDeviceStringsListTheAcceptedForms(string device)
    {
        using var x = torch.ones(2);
        var act = () => x.To(device);
        act.Should().Throw<ArgumentException>().WithMessage("*'cpu', 'cuda' or 'cuda:N'*");
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("CUDA:0")]
    [InlineData("cuda:7")]
    public void CudaWhenAbsentThrowsDeviceUnavailableWithTheReason(string device)
    {
        using var x = torch.ones(2);
        if (Torch.Cuda.IsAvailable && device != "cuda:7")
        {
            using var moved = x.To(device);
            moved.device_type.Should().Be(DeviceType.CUDA);
            return;
        }

        var act = () => x.To(device);
        var ex = act.Should().Throw<DeviceUnavailableException>().Which;
        ex.Device.Should().Be(device);
        if (!Torch.Cuda.IsAvailable)
        {
            ex.Message.Should().Contain(Torch.Cuda.UnavailableReason!).And.MatchRegex("no CUDA backend|no GPU");
            var viaDevice = () => x.To(Torch.Device(device));
            viaDevice.Should().Throw<DeviceUnavailableException>();
        }
        else
        {
            ex.Message.Should().Contain("no GPU with index 7");
        }
    }

    [Fact]
    public void CudaQueriesNeverThrow()
    {
        var available = () => Torch.Cuda.IsAvailable;
        available.Should().NotThrow();
        Torch.Cuda.DeviceCount.Should().BeGreaterThanOrEqualTo(0);
        (Torch.Cuda.IsAvailable == (Torch.Cuda.DeviceCount > 0)).Should().BeTrue();
        (Torch.Cuda.IsAvailable == (Torch.Cuda.UnavailableReason is null)).Should().BeTrue();
    }
}
