namespace TorchFacade;

/// <summary>
/// Thrown when an operation that must not copy (such as <c>View</c>) cannot express its result over the tensor's
/// existing memory layout — for example viewing a transposed tensor as one flat row. The message names the shape and
/// strides and suggests <c>Reshape</c> (copies when it must) or <c>Contiguous()</c> first.
/// </summary>
/// <remarks>PyTorch raises <c>RuntimeError: view size is not compatible with input tensor's size and stride ...</c>.</remarks>
public sealed class TensorLayoutException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What cannot be done and what to do instead.</param>
    /// <param name="shape">The tensor's shape.</param>
    /// <param name="strides">The tensor's strides (in elements).</param>
    /// <param name="requestedShape">The shape that was asked for.</param>
    public TensorLayoutException(string message, IReadOnlyList<long> shape, IReadOnlyList<long> strides, IReadOnlyList<long> requestedShape)
        : base(message)
    {
        Shape = shape;
        Strides = strides;
        RequestedShape = requestedShape;
    }

    /// <summary>The tensor's shape.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The tensor's strides, in elements.</summary>
    public IReadOnlyList<long> Strides { get; }

    /// <summary>The shape that was asked for (after inferring <c>-1</c> where possible).</summary>
    public IReadOnlyList<long> RequestedShape { get; }
}
