using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Layers;

/// <summary>The activations of the FFN blocks and their derivatives, written as tensor formulas (A.17 of the reference maths).</summary>
internal static class GateMath
{
    private static readonly double InvSqrt2 = 1.0 / Math.Sqrt(2.0);
    private static readonly double InvSqrt2Pi = 1.0 / Math.Sqrt(2.0 * Math.PI);

    /// <summary><c>x·Aᵀ + b</c>, what <c>nn.Linear</c> computes with weight <c>A</c> of shape (out, in).</summary>
    public static Tensor Project(Tensor x, Tensor weight, Tensor? bias)
    {
        Tensor y = x.matmul(weight.t());
        return bias is null ? y : y.add(bias);
    }

    public static Tensor Activate(FeedForwardActivation activation, Tensor z) => activation switch
    {
        FeedForwardActivation.ReLU => nn.functional.relu(z),
        FeedForwardActivation.Gelu => nn.functional.gelu(z),
        FeedForwardActivation.GeluTanh => nn.functional.gelu(z, TorchSharp.Modules.GELU.Approximate.tanh),
        _ => throw new ArgumentOutOfRangeException(null, activation, "GateMath: Unknown FFN activation."),
    };

    public static Tensor Gate(GatedVariant variant, Tensor a, double beta) => variant switch
    {
        GatedVariant.Glu => torch.sigmoid(a),
        GatedVariant.Bilinear => a,
        GatedVariant.ReGlu => nn.functional.relu(a),
        GatedVariant.GeGlu => nn.functional.gelu(a),
        GatedVariant.SwiGlu => a * torch.sigmoid(a * beta),
        _ => throw new ArgumentOutOfRangeException(null, variant, "GateMath: Unknown gated variant."),
    };

    /// <summary>d act(a) / da for each variant: σ(1−σ), 1, [a &gt; 0], Φ(a) + aφ(a), σ(βa) + βa·σ(βa)(1 − σ(βa)).</summary>
    public static Tensor GateDerivative(GatedVariant variant, Tensor a, double beta)
    {
        switch (variant)
        {
            case GatedVariant.Glu:
                {
                    Tensor s = torch.sigmoid(a);
                    return s * (1.0 - s);
                }

            case GatedVariant.Bilinear:
                return torch.ones_like(a);
            case GatedVariant.ReGlu:
                return a.gt(0).to(a.dtype);
            case GatedVariant.GeGlu:
                {
                    Tensor cdf = (torch.erf(a * InvSqrt2) + 1.0) * 0.5;
                    Tensor pdf = torch.exp(a * a * -0.5) * InvSqrt2Pi;
                    return cdf + (a * pdf);
                }

            case GatedVariant.SwiGlu:
                {
                    Tensor s = torch.sigmoid(a * beta);
                    return s + (a * beta * s * (1.0 - s));
                }

            default:
                throw new ArgumentOutOfRangeException(null, variant, "GateMath: Unknown gated variant.");
        }
    }

    public static void CheckLastDim(Tensor x, long expected, string name, string member = nameof(FeedForward))
    {
        _ = x ?? throw new ArgumentNullException(null, $"{member}: '{name}' is null; pass a value.");
        if (x.dim() == 0 || x.shape[^1] != expected)
        {
            throw new ArgumentException($"{member}: {name} must have its last dimension equal to the block's input size {expected}, got shape [{string.Join(", ", x.shape)}]; " +
                "reshape the input to (..., dModel) or build the block with the matching size.");
        }
    }
}
