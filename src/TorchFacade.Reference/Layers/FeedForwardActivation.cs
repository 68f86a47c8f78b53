namespace TorchFacade.Reference.Layers;

/// <summary>The activation between the two projections of a <see cref="FeedForward"/> block.</summary>
public enum FeedForwardActivation
{
    /// <summary><c>max(0, z)</c>: the original Transformer FFN, <c>FFN(x) = max(0, xW1 + b1)W2 + b2</c>.</summary>
    ReLU,

    /// <summary>Exact GELU, <c>z·Φ(z) = ½z(1 + erf(z/√2))</c> (PyTorch's <c>F.gelu(z, approximate='none')</c>).</summary>
    Gelu,

    /// <summary>GELU's tanh approximation, <c>½z(1 + tanh(√(2/π)(z + 0.044715z³)))</c> (<c>approximate='tanh'</c>).</summary>
    GeluTanh,
}
