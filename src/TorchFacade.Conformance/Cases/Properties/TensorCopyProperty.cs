namespace TorchFacade.Conformance.Cases.Properties;

/// <summary><c>Torch.Tensor</c> copies (<c>torch.tensor</c>), and <c>ToArray</c> of a permuted view gathers in C order.</summary>
internal sealed class TensorCopyProperty : IElementProperty
{
    /// <inheritdoc />
    public string? Check<T>(T[] data, long[] shape, torch.Device device)
        where T : unmanaged
    {
        T[] original = (T[])data.Clone();
        torch.Tensor t = Torch.Tensor(data, shape).to(device);
        if (data.Length > 0)
        {
            data[0] = original[^1];
            data[^1] = original[0];
        }

        if (!InteropProperties.SameBits<T>(t.ToArray<T>(), original))
        {
            return "Torch.Tensor(a) does not hold a's bits after a changed (it must copy)";
        }

        if (shape.Length >= 2)
        {
            long[] order = Enumerable.Range(0, shape.Length).Reverse().Select(i => (long)i).ToArray();
            torch.Tensor view = t.permute(order);
            T[] expected = view.contiguous().ToArray<T>();
            if (!InteropProperties.SameBits<T>(view.ToArray<T>(), expected))
            {
                return "ToArray of a permuted view differs from ToArray of its contiguous copy";
            }
        }

        return null;
    }
}
