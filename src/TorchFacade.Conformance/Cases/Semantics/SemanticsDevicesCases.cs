using static TorchFacade.Conformance.SemanticsCase;

namespace TorchFacade.Conformance;

/// <summary>Seed claims about devices: torch.cuda.is_available(), torch.device(...), tensor.to(device), tensor.to('CPU').</summary>
internal sealed class SemanticsDevicesCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases() =>
    [
        .. PerDevice("devices", "to-round-trip", "tensor.to(device) then .to('CPU') gives the same values", FacadeVsPyTorch, RoundTrip, torch.ScalarType.Float32, Tolerance.Exact("copies between devices are bit-exact")),
        .. PerDevice("devices", "bad-device-string-raises", "a device string other than cpu/cuda/cuda:N raises ArgumentException listing the accepted forms", FacadeVsPyTorch, BadString),
        .. PerDevice("devices", "cuda-absent-raises", "asking for CUDA where it is unavailable raises DeviceUnavailableException saying why (no backend / no GPU)", FacadeVsPyTorch, CudaAbsent),
    ];

    private static CaseResult RoundTrip(torch.Device device)
    {
        var x = torch.arange(5, dtype: torch.float32) / 3;
        var there = x.To(device);
        var back = there.To("CPU");
        return All(
            CaseResult.Check(there.device_type == device.type, $"to({device}) left the tensor on {there.device}"),
            Compare.Close(Values(back), Values(x), Tolerance.Exact("copies between devices are bit-exact"), torch.ScalarType.Float32, what: "round trip"));
    }

    private static CaseResult BadString(torch.Device device)
    {
        var x = torch.ones(2, device: device);
        return Throws<ArgumentException>(() => x.To("gpu"), "'cpu', 'cuda' or 'cuda:N'");
    }

    private static CaseResult CudaAbsent(torch.Device device)
    {
        if (Torch.Cuda.IsAvailable)
        {
            return CaseResult.Skip("skipped: CUDA is available here; the claim is about machines without it");
        }

        var x = torch.ones(2, device: device);
        return Throws<DeviceUnavailableException>(() => x.To("cuda"), Torch.Cuda.UnavailableReason!);
    }
}
