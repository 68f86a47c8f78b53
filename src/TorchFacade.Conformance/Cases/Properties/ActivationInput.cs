namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>One drawn input of an activation property: the values (before rounding to the dtype) and the dtype.</summary>
/// <param name="Values">The input values in <see cref="double"/>.</param>
/// <param name="DType">float32 or float64.</param>
internal sealed record ActivationInput(double[] Values, torch.ScalarType DType);
