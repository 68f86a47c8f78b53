namespace TorchFacade;

/// <summary>
/// PyTorch's <c>x.grad_fn</c>: the autograd node that produced a tensor — what <c>backward</c> will call to send the
/// gradient on to its inputs. Obtained from <c>TensorAutograd.GradFn</c>; <see langword="null"/> there for leaves and
/// tensors made outside a graph.
/// </summary>
public sealed class GradFn
{
    internal GradFn(string? name)
    {
        Name = name;
    }

    /// <summary>
    /// LibTorch's own name of the node, read from LibTorch itself — the name Python prints in
    /// <c>grad_fn=&lt;MulBackward0&gt;</c> (e.g. <c>MulBackward0</c>, <c>MeanBackward0</c>, <c>GeluBackward0</c>).
    /// Note that TorchSharp's tensor-with-scalar operators (<c>x + 2</c>, <c>y * 3</c>) call LibTorch's <c>Scalar</c>
    /// overloads, whose nodes are <c>AddBackward1</c> / <c>MulBackward1</c>; Python wraps the number in a tensor and
    /// shows <c>AddBackward0</c> / <c>MulBackward0</c>. The gradients are the same.
    /// </summary>
    /// <remarks>
    /// Reading the name needs the Itanium C++ ABI of Linux x64; on other platforms <see cref="Name"/> is
    /// <see langword="null"/> (the node's existence is still reported correctly).
    /// </remarks>
    public string? Name { get; }

    /// <summary>Python's spelling, <c>&lt;MulBackward0&gt;</c> (or <c>&lt;grad_fn&gt;</c> when the name cannot be read here).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => "<" + (Name ?? "grad_fn") + ">";
}
