namespace TorchFacade.Conformance.Cases.Properties;

/// <summary><c>Torch.FromArray</c> aliases the array both ways (<c>torch.from_numpy</c>), and a device round trip keeps every bit.</summary>
internal sealed class FromArrayProperty : IElementProperty
{
    /// <inheritdoc />
    public string? Check<T>(T[] data, long[] shape, torch.Device device)
        where T : unmanaged
    {
        T[] original = (T[])data.Clone();
        torch.Tensor t = Torch.FromArray(data, shape);
        long[] expectedShape = shape.Length == 0 ? [data.Length] : shape; // an empty shape means [a.Length] (documented)
        if (!t.shape.SequenceEqual(expectedShape))
        {
            return $"shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", expectedShape)}]";
        }

        if (!InteropProperties.SameBits<T>(t.ToArray<T>(), original))
        {
            return "ToArray of FromArray(a) differs from a";
        }

        if (!InteropProperties.SameBits<T>(t.to(device).ToArray<T>(), original))
        {
            return $"a copy to {device} and back differs from a";
        }

        if (data.Length > 1)
        {
            Span<T> span = t.AsSpan<T>();
            span[0] = original[^1];
            if (!InteropProperties.SameBits<T>([data[0]], [original[^1]]))
            {
                return "a write through AsSpan did not reach the array";
            }

            data[^1] = original[0];
            if (!InteropProperties.SameBits<T>([t.AsReadOnlySpan<T>()[^1]], [original[0]]))
            {
                return "a write to the array did not reach the tensor";
            }
        }

        return null;
    }
}
