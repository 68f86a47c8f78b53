using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Gaussian error linear unit; PyTorch <c>nn.GELU(approximate='none' | 'tanh')</c>.
/// <list type="bullet">
/// <item>"none": x·Φ(x) = ½x(1 + erf(x/√2)); derivative Φ(x) + x·φ(x), range ≈ [−0.1289, 1.1289].</item>
/// <item>"tanh": ½x(1 + tanh(√(2/π)(x + 0.044715x³))) — the cubic term is required; derivative is the exact
/// derivative of this approximation.</item>
/// </list>
/// GELU'(0) = 0.5 in both modes (not 0 as the seed notes' formula gives).
/// </summary>
public sealed class GELU : ElementwiseActivation
{
    internal const double SqrtHalf = 0.70710678118654752440;
    internal const double InvSqrtTwoPi = 0.3989422804014327;
    internal const double SqrtTwoOverPi = 0.7978845608028654;
    internal const double Kappa = 0.044715;

    /// <summary>Creates the module.</summary>
    /// <param name="approximate"><c>"none"</c> (exact, erf) or <c>"tanh"</c> (the tanh approximation).</param>
    /// <exception cref="ArgumentException"><paramref name="approximate"/> is neither "none" nor "tanh".</exception>
    public GELU(string approximate = "none")
        : base(nameof(GELU))
    {
        if (approximate is not ("none" or "tanh"))
        {
            throw new ArgumentException($"GELU's approximate must be \"none\" or \"tanh\", got \"{approximate}\".");
        }

        Approximate = approximate;
    }

    /// <summary><c>"none"</c> or <c>"tanh"</c>.</summary>
    public string Approximate { get; }

    private bool IsTanh => Approximate == "tanh";

    /// <inheritdoc />
    public override double Value(double x)
    {
        if (IsTanh)
        {
            double u = SqrtTwoOverPi * (x + (Kappa * x * x * x));
            return 0.5 * x * (1 + Math.Tanh(u));
        }

        return x * Phi(x);
    }

    /// <inheritdoc />
    public override double Derivative(double x)
    {
        if (IsTanh)
        {
            double t = Math.Tanh(SqrtTwoOverPi * (x + (Kappa * x * x * x)));
            return (0.5 * (1 + t)) + (0.5 * x * (1 - (t * t)) * SqrtTwoOverPi * (1 + (3 * Kappa * x * x)));
        }

        return Phi(x) + (x * InvSqrtTwoPi * Math.Exp(-0.5 * x * x));
    }

    internal override void Kernel<T>(ElementwiseCall<T> call)
    {
        if (IsTanh)
        {
            call.Run(default(GeluTanhOperator));
        }
        else
        {
            call.Run(default(GeluErfOperator));
        }
    }

    internal override Tensor ComposedForward(Tensor x)
    {
        if (IsTanh)
        {
            var inner = x.add(x.mul(x).mul(x).mul(Kappa)).mul(SqrtTwoOverPi);
            return x.mul(0.5).mul(inner.tanh().add(1));
        }

        return x.mul(0.5).mul(x.mul(SqrtHalf).erf().add(1));
    }

    internal override Tensor ComposedBackward(Tensor g, Tensor saved)
    {
        var x = saved;
        if (IsTanh)
        {
            var xSq = x.mul(x);
            var t = x.add(xSq.mul(x).mul(Kappa)).mul(SqrtTwoOverPi).tanh();
            var left = t.add(1).mul(0.5);
            var right = x.mul(0.5).mul(Compose.OneMinus(t.mul(t))).mul(xSq.mul(3 * Kappa).add(1).mul(SqrtTwoOverPi));
            return g.mul(left.add(right));
        }

        var cdf = x.mul(SqrtHalf).erf().add(1).mul(0.5);
        var pdf = x.mul(x).mul(-0.5).exp().mul(InvSqrtTwoPi);
        return g.mul(cdf.add(x.mul(pdf)));
    }

    // Φ(x) = ½·erfc(−x/√2), accurate in the far left tail too.
    private static double Phi(double x) => 0.5 * ErrorFunction.Erfc(-x * SqrtHalf);
}
