using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Layers;

/// <summary>
/// A gated feed-forward block (Shazeer 2020): <c>h = act(xW + b) ⊙ (xV + c)</c>, <c>out = hW2 + b2</c>. The activation is
/// applied to the <b>W</b> projection (the gate); the <b>V</b> projection stays linear. The usual LLM form
/// <c>w2(silu(w1(x)) * w3(x))</c> is <see cref="GatedVariant.SwiGlu"/> with <c>W = w1</c>, <c>V = w3</c>; the "project once and
/// split" form <c>h, gate = proj(x).chunk(2, -1); h * act(gate)</c> is this block with <c>V</c> = the first half of
/// <c>proj</c> and <c>W</c> = the second half.
/// </summary>
public sealed class GatedFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear w;
    private readonly Linear v;
    private readonly Linear w2;

    /// <summary>Creates the block.</summary>
    /// <param name="dModel">Input and output size.</param>
    /// <param name="dHidden">Hidden size (the paper shrinks d_ff by 2/3 to keep the parameter count).</param>
    /// <param name="variant">Which activation gates the block.</param>
    /// <param name="bias">Whether the three projections have biases (the paper's FFN variants have none).</param>
    /// <param name="beta">β of Swish for <see cref="GatedVariant.SwiGlu"/> (1 = SiLU); ignored by the other variants.</param>
    /// <param name="device">Device of the parameters; <see langword="null"/> for the CPU.</param>
    /// <param name="dtype">Dtype of the parameters; <see langword="null"/> for float32.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, the variant is unknown or β is not finite.</exception>
    public GatedFeedForward(long dModel, long dHidden, GatedVariant variant, bool bias = false, double beta = 1.0, Device? device = null, ScalarType? dtype = null)
        : base(nameof(GatedFeedForward))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dModel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dHidden);
        if (!Enum.IsDefined(variant))
        {
            throw new ArgumentOutOfRangeException(null, variant, "GatedFeedForward: Use one of GatedVariant's named values.");
        }

        if (!double.IsFinite(beta))
        {
            throw new ArgumentOutOfRangeException(null, beta, "GatedFeedForward: Swish's β must be a finite number (1 gives SiLU).");
        }

        w = nn.Linear(dModel, dHidden, bias, device, dtype);
        v = nn.Linear(dModel, dHidden, bias, device, dtype);
        w2 = nn.Linear(dHidden, dModel, bias, device, dtype);
        RegisterComponents();
        (DModel, DHidden, Variant, Beta) = (dModel, dHidden, variant, beta);
    }

    /// <summary>Input and output size.</summary>
    public long DModel { get; }

    /// <summary>Hidden size.</summary>
    public long DHidden { get; }

    /// <summary>The gating activation.</summary>
    public GatedVariant Variant { get; }

    /// <summary>Swish's β (used by <see cref="GatedVariant.SwiGlu"/>).</summary>
    public double Beta { get; }

    /// <summary>The gate projection: weight (dHidden, dModel) = Wᵀ, bias b.</summary>
    public Linear W => w;

    /// <summary>The linear (value) projection: weight (dHidden, dModel) = Vᵀ, bias c.</summary>
    public Linear V => v;

    /// <summary>The output projection: weight (dModel, dHidden) = W2ᵀ, bias b2.</summary>
    public Linear W2 => w2;

    /// <summary>Applies the block to the last dimension of <paramref name="input"/>.</summary>
    /// <param name="input">A tensor of shape (..., dModel).</param>
    /// <returns>A tensor of shape (..., dModel).</returns>
    /// <exception cref="ArgumentException">The last dimension is not <see cref="DModel"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        Activations.TensorBridge.ThrowIfDisposed(this, nameof(GatedFeedForward));
        GateMath.CheckLastDim(input, DModel, nameof(input), nameof(GatedFeedForward));
        using var scope = torch.NewDisposeScope();
        return GateMath.Project(Hidden(input), w2.weight!, w2.bias).MoveToOuterDisposeScope();
    }

    /// <summary>The gated hidden state <c>act(xW + b) ⊙ (xV + c)</c>, before the output projection.</summary>
    /// <param name="input">A tensor of shape (..., dModel).</param>
    /// <returns>A tensor of shape (..., dHidden).</returns>
    /// <exception cref="ArgumentException">The last dimension is not <see cref="DModel"/>.</exception>
    public Tensor Hidden(Tensor input)
    {
        GateMath.CheckLastDim(input, DModel, nameof(input), nameof(GatedFeedForward));
        using var scope = torch.NewDisposeScope();
        Tensor a = GateMath.Project(input, w.weight!, w.bias);
        Tensor u = GateMath.Project(input, v.weight!, v.bias);
        return (GateMath.Gate(Variant, a, Beta) * u).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The gradients of <c>sum(out ⊙ gradOutput)</c> written out by hand (A.17): <c>dh = dout·W2ᵀ</c>, <c>du = dh ⊙ act(a)</c>,
    /// <c>da = dh ⊙ u ⊙ act'(a)</c>, <c>dW2 = hᵀ·dout</c>, <c>dW = xᵀ·da</c>, <c>dV = xᵀ·du</c>, biases the row sums,
    /// <c>dx = da·Wᵀ + du·Vᵀ</c>. Weight gradients are returned in <c>nn.Linear</c>'s (out, in) layout. Does not touch
    /// autograd; compare it with <c>backward()</c>.
    /// </summary>
    /// <param name="input">A tensor of shape (..., dModel).</param>
    /// <param name="gradOutput">The gradient arriving at the output, same shape as the output.</param>
    /// <returns>The gradients.</returns>
    /// <exception cref="ArgumentException">A shape does not match the block.</exception>
    public GatedFeedForwardGradients Gradients(Tensor input, Tensor gradOutput)
    {
        GateMath.CheckLastDim(input, DModel, nameof(input), nameof(GatedFeedForward));
        GateMath.CheckLastDim(gradOutput, DModel, nameof(gradOutput), nameof(GatedFeedForward));
        if (!input.shape.SequenceEqual(gradOutput.shape))
        {
            throw new ArgumentException($"GatedFeedForward: gradOutput must have the output's shape [{string.Join(", ", input.shape)}], got [{string.Join(", ", gradOutput.shape)}].");
        }

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor x = input.reshape(-1, DModel);
        Tensor dout = gradOutput.reshape(-1, DModel);
        Tensor a = GateMath.Project(x, w.weight!, w.bias);
        Tensor u = GateMath.Project(x, v.weight!, v.bias);
        Tensor act = GateMath.Gate(Variant, a, Beta);
        Tensor h = act * u;
        Tensor dh = dout.matmul(w2.weight!);
        Tensor du = dh * act;
        Tensor da = dh * u * GateMath.GateDerivative(Variant, a, Beta);
        Tensor dx = da.matmul(w.weight!) + du.matmul(v.weight!);
        var result = new GatedFeedForwardGradients(
            dx.reshape(input.shape).MoveToOuterDisposeScope(),
            da.t().matmul(x).MoveToOuterDisposeScope(),
            w.bias is null ? null : da.sum([0L]).MoveToOuterDisposeScope(),
            du.t().matmul(x).MoveToOuterDisposeScope(),
            v.bias is null ? null : du.sum([0L]).MoveToOuterDisposeScope(),
            dout.t().matmul(h).MoveToOuterDisposeScope(),
            w2.bias is null ? null : dout.sum([0L]).MoveToOuterDisposeScope());
        return result;
    }
}
