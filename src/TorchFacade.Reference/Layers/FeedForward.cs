using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Layers;

/// <summary>
/// The Transformer feed-forward block <c>FFN(x) = act(xW1 + b1)W2 + b2</c> (the seed notes' FFN; PyTorch:
/// <c>nn.Sequential(nn.Linear(d, h), nn.ReLU() / nn.GELU(), nn.Linear(h, d))</c>).
/// The projections are <c>nn.Linear</c> modules with PyTorch's default initialisation; the block computes <c>x·Aᵀ + b</c>
/// from their weights (shape (out, in)) itself.
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear w1;
    private readonly Linear w2;

    /// <summary>Creates the block.</summary>
    /// <param name="dModel">Input and output size (the last dimension of the input).</param>
    /// <param name="dHidden">Hidden size (d_ff).</param>
    /// <param name="activation">ReLU (the original Transformer) or GELU.</param>
    /// <param name="bias">Whether the projections have biases (T5-style blocks have none).</param>
    /// <param name="device">Device of the parameters; <see langword="null"/> for the CPU.</param>
    /// <param name="dtype">Dtype of the parameters; <see langword="null"/> for float32.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public FeedForward(long dModel, long dHidden, FeedForwardActivation activation = FeedForwardActivation.ReLU, bool bias = true, Device? device = null, ScalarType? dtype = null)
        : base(nameof(FeedForward))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dModel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dHidden);
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(null, activation, "FeedForward: Use FeedForwardActivation.ReLU, Gelu or GeluTanh.");
        }

        DModel = dModel;
        DHidden = dHidden;
        Activation = activation;
        w1 = nn.Linear(dModel, dHidden, bias, device, dtype);
        w2 = nn.Linear(dHidden, dModel, bias, device, dtype);
        RegisterComponents();
    }

    /// <summary>Input and output size.</summary>
    public long DModel { get; }

    /// <summary>Hidden size.</summary>
    public long DHidden { get; }

    /// <summary>The activation between the projections.</summary>
    public FeedForwardActivation Activation { get; }

    /// <summary>The first projection (weight (dHidden, dModel) = W1ᵀ).</summary>
    public Linear W1 => w1;

    /// <summary>The second projection (weight (dModel, dHidden) = W2ᵀ).</summary>
    public Linear W2 => w2;

    /// <summary>Applies the block to the last dimension of <paramref name="input"/>.</summary>
    /// <param name="input">A tensor of shape (..., dModel).</param>
    /// <returns>A tensor of shape (..., dModel).</returns>
    /// <exception cref="ArgumentException">The last dimension is not <see cref="DModel"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        Activations.TensorBridge.ThrowIfDisposed(this, nameof(FeedForward));
        GateMath.CheckLastDim(input, DModel, nameof(input));
        using var scope = torch.NewDisposeScope();
        Tensor hidden = GateMath.Activate(Activation, GateMath.Project(input, w1.weight!, w1.bias));
        return GateMath.Project(hidden, w2.weight!, w2.bias).MoveToOuterDisposeScope();
    }
}
