namespace TorchFacade.Reference.Kernels;

/// <summary>
/// How a contiguous tensor is seen by a kernel that works along one dimension: <c>[outer, size, inner]</c>, where
/// <c>size</c> is the length of that dimension, <c>outer</c> the product of the sizes before it and <c>inner</c> the
/// product of the sizes after it.
/// </summary>
/// <param name="Outer">Product of the sizes before the dimension.</param>
/// <param name="Size">The dimension's size.</param>
/// <param name="Inner">Product of the sizes after the dimension.</param>
internal readonly record struct ReductionLayout(int Outer, int Size, int Inner)
{
    /// <summary>The element count, <c>Outer·Size·Inner</c>.</summary>
    public long Length => (long)Outer * Size * Inner;

    /// <summary>The layout of a contiguous tensor of <paramref name="shape"/> along dimension <paramref name="dim"/>.</summary>
    /// <param name="shape">The tensor's shape (a 0-d tensor has an empty shape and is treated as <c>[1]</c>).</param>
    /// <param name="dim">The dimension, already normalised to 0..rank−1 (0 for a 0-d tensor).</param>
    /// <returns>The layout.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is not a dimension of <paramref name="shape"/>.</exception>
    public static ReductionLayout Of(ReadOnlySpan<long> shape, int dim)
    {
        if (shape.Length == 0)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(dim, 0);
            return new ReductionLayout(1, 1, 1);
        }

        if (dim < 0 || dim >= shape.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension out of range: expected 0..{shape.Length - 1} for a {shape.Length}-d shape.");
        }

        long outer = 1, inner = 1;
        for (int i = 0; i < dim; i++)
        {
            outer *= shape[i];
        }

        for (int i = dim + 1; i < shape.Length; i++)
        {
            inner *= shape[i];
        }

        return new ReductionLayout(checked((int)outer), checked((int)shape[dim]), checked((int)inner));
    }

    internal void Validate(int length, string name)
    {
        if (Outer < 0 || Size < 0 || Inner < 0 || Length != length)
        {
            throw new ArgumentException($"Span '{name}' has {length} elements but the layout [{Outer}, {Size}, {Inner}] needs {Length}; pass a layout that matches the data.", name);
        }
    }
}
