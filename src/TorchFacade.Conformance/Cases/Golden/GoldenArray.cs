namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>One array of a golden archive.</summary>
/// <param name="Values">The values, row-major, as <see cref="double"/>.</param>
/// <param name="Shape">The shape.</param>
/// <param name="DType">The dtype PyTorch stored.</param>
internal sealed record GoldenArray(double[] Values, long[] Shape, torch.ScalarType DType)
{
    /// <summary>The array as a new tensor of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <param name="device">The device.</param>
    /// <returns>A new tensor (registered in the caller's dispose scope).</returns>
    public torch.Tensor ToTensor(torch.ScalarType dtype, torch.Device device) =>
        torch.tensor(Values, Shape, dtype: torch.ScalarType.Float64).to(dtype).to(device);
}
