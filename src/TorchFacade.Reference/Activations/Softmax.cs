using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Softmax along <see cref="Dim"/>; PyTorch <c>nn.Softmax(dim)</c>. y = exp(x − max)·(1/Σ exp(x − max)); backward
/// from the output: dx = y ⊙ (g − Σ g ⊙ y). A slice that is all −∞ gives NaN, as in LibTorch.
/// </summary>
/// <param name="dim">The dimension to normalise over (negative counts from the end). Always pass it explicitly.</param>
public sealed class Softmax(long dim) : nn.Module<Tensor, Tensor>(nameof(Softmax))
{
    /// <summary>The dimension normalised over.</summary>
    public long Dim { get; } = dim;

    /// <summary>Applies softmax along <see cref="Dim"/>.</summary>
    /// <param name="input">A floating-point tensor.</param>
    /// <returns>A new tensor of the same shape, each slice along <see cref="Dim"/> summing to 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not floating-point.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Dim"/> is not a dimension of <paramref name="input"/>.</exception>
    public override Tensor forward(Tensor input) => SoftmaxActivation.Softmax.Apply(input, Dim, this);
}
