namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>An interop property written once for every element type (dispatched on the drawn dtype by <see cref="InteropProperties"/>).</summary>
internal interface IElementProperty
{
    /// <summary>Checks the property on <paramref name="data"/> of shape <paramref name="shape"/>.</summary>
    /// <typeparam name="T">The .NET element type of the dtype.</typeparam>
    /// <param name="data">The elements in C order.</param>
    /// <param name="shape">The shape.</param>
    /// <param name="device">The device the round trip goes through.</param>
    /// <returns>Why the property fails, or <see langword="null"/>.</returns>
    string? Check<T>(T[] data, long[] shape, TorchSharp.torch.Device device)
        where T : unmanaged;
}
