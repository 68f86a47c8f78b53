namespace TorchFacade.Conformance.Cases.Properties;

/// <summary><c>AsTensorSpan</c> views the elements with the tensor's shape, and <c>Torch.FromTensor</c> gives back every bit.</summary>
internal sealed class TensorSpanProperty : IElementProperty
{
    /// <inheritdoc />
    public string? Check<T>(T[] data, long[] shape, torch.Device device)
        where T : unmanaged
    {
        nint[] lengths = shape.Select(d => (nint)d).ToArray();
        System.Numerics.Tensors.Tensor<T> dotnet;
        try
        {
            dotnet = System.Numerics.Tensors.Tensor.Create((T[])data.Clone(), lengths);
        }
        catch (ArgumentException ex)
        {
            return $"System.Numerics.Tensors.Tensor.Create(a, [{string.Join(", ", lengths)}]) threw {ex.GetType().Name}: {ex.Message} (not the facade)";
        }

        torch.Tensor t;
        try
        {
            t = Torch.FromTensor(dotnet);
        }
        catch (ArgumentException ex)
        {
            return $"Torch.FromTensor(Tensor.Create(a, [{string.Join(", ", lengths)}]) (strides [{string.Join(", ", dotnet.Strides.ToArray())}])) threw {ex.GetType().Name}: {ex.Message}";
        }
        if (!t.shape.SequenceEqual(shape))
        {
            return $"FromTensor gave shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", shape)}]";
        }

        if (!InteropProperties.SameBits<T>(t.to(device).ToArray<T>(), data))
        {
            return "FromTensor(Tensor.Create(a, lengths)) differs from a";
        }

        System.Numerics.Tensors.TensorSpan<T> span;
        try
        {
            span = t.AsTensorSpan<T>();
        }
        catch (ArgumentException ex)
        {
            return $"AsTensorSpan of a tensor of shape [{string.Join(", ", t.shape)}], strides [{string.Join(", ", t.stride())}] threw {ex.GetType().Name}: {ex.Message}";
        }
        nint[] last = lengths.Select(n => n - 1).ToArray();
        if (span.FlattenedLength != data.Length || !span.Lengths.SequenceEqual(lengths)
            || !InteropProperties.SameBits<T>([span[new nint[lengths.Length]]], [data[0]]) || !InteropProperties.SameBits<T>([span[last]], [data[^1]]))
        {
            return "AsTensorSpan's lengths or first/last elements differ from a";
        }

        return null;
    }
}
