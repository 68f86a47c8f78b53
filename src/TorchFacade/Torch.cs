namespace TorchFacade;

/// <summary>
/// PyTorch's module-level functions (<c>torch.*</c>) in .NET: devices (<see cref="Cuda"/>, <see cref="Device(string)"/>),
/// grad modes (<c>NoGrad</c>, <c>EnableGrad</c>, ...) and NumPy-style interop (<c>FromArray</c>, <c>Tensor</c>, ...).
/// The class is split by concern over several files (<c>Torch.Devices.cs</c>, <c>Torch.GradMode.cs</c>, ...).
/// </summary>
/// <remarks>
/// Inside this class the simple name <c>Tensor</c> is the <c>Torch.Tensor&lt;T&gt;(...)</c> factory method; refer to the
/// tensor type as <see cref="TorchSharp.torch.Tensor"/>.
/// </remarks>
public static partial class Torch
{
}
