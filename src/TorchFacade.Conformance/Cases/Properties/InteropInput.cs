namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>One drawn input of an interop property: a dtype, a shape (0-d and empty included) and the values in <see cref="double"/> (converted to the dtype by LibTorch).</summary>
/// <param name="DType">The element dtype.</param>
/// <param name="Shape">The shape.</param>
/// <param name="Values">As many values as the shape has elements.</param>
internal sealed record InteropInput(torch.ScalarType DType, long[] Shape, double[] Values);
