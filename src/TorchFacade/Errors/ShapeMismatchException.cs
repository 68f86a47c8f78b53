namespace TorchFacade;

/// <summary>
/// Thrown when two shapes do not fit together under PyTorch's broadcasting rules (or an operation needs equal shapes).
/// The message names both shapes and the first dimension, counted from the left of the longer shape, that fails.
/// </summary>
/// <remarks>PyTorch raises <c>RuntimeError: The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1</c>.</remarks>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What did not fit and what to do.</param>
    /// <param name="left">The first shape (usually the target, e.g. the tensor assigned into).</param>
    /// <param name="right">The second shape (usually the source).</param>
    /// <param name="dimension">The failing dimension, or -1 when the shapes differ as a whole (e.g. element count).</param>
    public ShapeMismatchException(string message, IReadOnlyList<long> left, IReadOnlyList<long> right, int dimension)
        : base(message)
    {
        Left = left;
        Right = right;
        Dimension = dimension;
    }

    /// <summary>The first shape.</summary>
    public IReadOnlyList<long> Left { get; }

    /// <summary>The second shape.</summary>
    public IReadOnlyList<long> Right { get; }

    /// <summary>The failing dimension (aligned to the right, numbered within the longer shape), or -1 when not one dimension.</summary>
    public int Dimension { get; }
}
