using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Log-softmax along <see cref="Dim"/>; PyTorch <c>nn.LogSoftmax(dim)</c>. y = (x − max) − log Σ exp(x − max); backward
/// from the output: dx = g − exp(y)·Σ g.
/// </summary>
/// <param name="dim">The dimension to normalise over (negative counts from the end).</param>
public sealed class LogSoftmax(long dim) : nn.Module<Tensor, Tensor>(nameof(LogSoftmax))
{
    /// <summary>The dimension normalised over.</summary>
    public long Dim { get; } = dim;

    /// <summary>Applies log-softmax along <see cref="Dim"/>.</summary>
    /// <param name="input">A floating-point tensor.</param>
    /// <returns>A new tensor of the same shape.</returns>
    /// <inheritdoc cref="Softmax.forward(Tensor)" path="/exception"/>
    public override Tensor forward(Tensor input) => SoftmaxActivation.LogSoftmax.Apply(input, Dim, this);
}
