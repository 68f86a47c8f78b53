using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Softplus, (1/β)·log(1 + e^(βx)), and x itself where βx &gt; threshold (strictly); PyTorch
/// <c>nn.Softplus(beta=1, threshold=20)</c>. Derivative σ(βx) (1 above the threshold); softplus'(0) = 0.5.
/// </summary>
public sealed class Softplus : ElementwiseActivation
{
    /// <summary>Creates the module.</summary>
    /// <param name="beta">β (default 1).</param>
    /// <param name="threshold">Linear above βx &gt; threshold (default 20).</param>
    /// <exception cref="ArgumentException"><paramref name="beta"/> is zero, NaN or infinite, or <paramref name="threshold"/> is NaN.</exception>
    public Softplus(double beta = 1.0, double threshold = 20.0)
        : base(nameof(Softplus))
    {
        if (!double.IsFinite(beta) || beta == 0)
        {
            throw new ArgumentException($"Softplus's beta must be finite and non-zero, got {beta}.");
        }

        if (double.IsNaN(threshold))
        {
            throw new ArgumentException("Softplus's threshold must not be NaN.");
        }

        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>β.</summary>
    public double Beta { get; }

    /// <summary>The threshold on βx above which the function is linear.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public override double Value(double x) => Beta * x > Threshold ? x : Log1P(Math.Exp(Beta * x)) / Beta;

    /// <inheritdoc />
    public override double Derivative(double x) => Beta * x > Threshold ? 1 : Sigma(Beta * x);

    internal override void Kernel<T>(ElementwiseCall<T> call) => call.Run(new SoftplusOperator(RoundTo<T>(Beta), RoundTo<T>(Threshold)));

    internal override Tensor ComposedForward(Tensor x)
    {
        var bx = x.mul(Beta);
        return where(bx.gt(Threshold), x, Compose.LogOnePlusExp(bx).div(Beta));
    }

    internal override Tensor ComposedBackward(Tensor g, Tensor saved)
    {
        var bx = saved.mul(Beta);
        var z = bx.exp();
        return where(bx.gt(Threshold), g, g.mul(z).div(z.add(1)));
    }
}
