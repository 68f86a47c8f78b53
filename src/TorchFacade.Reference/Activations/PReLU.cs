using TorchFacade.Reference.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Parametric ReLU, x &gt; 0 ? x : a·x with a learnable <see cref="Weight"/>; PyTorch
/// <c>nn.PReLU(num_parameters=1, init=0.25)</c>. The weight has 1 entry (shared) or one per channel, the channel
/// dimension being dim 1 (inputs with fewer than 2 dims have 1 channel). ∂/∂x = 1 or a (a at 0);
/// ∂/∂a = x where x ≤ 0, summed over every dimension but the channel one. Do not apply weight decay to a.
/// </summary>
public sealed class PReLU : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    /// <summary>Creates the module with a float32 weight on the CPU.</summary>
    /// <param name="numParameters">1 (one shared a) or the number of input channels.</param>
    /// <param name="init">The initial value of every a (PyTorch's default 0.25).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numParameters"/> is less than 1.</exception>
    public PReLU(long numParameters = 1, double init = 0.25)
        : base(nameof(PReLU))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numParameters, 1);
        NumParameters = numParameters;
        weight = new Parameter(full(numParameters, init, ScalarType.Float32));
        RegisterComponents();
    }

    /// <summary>The number of weights (1 or the channel count).</summary>
    public long NumParameters { get; }

    /// <summary>The learnable slopes a, shape <c>[NumParameters]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The scalar definition with the first weight a: x &gt; 0 ? x : a·x (the oracle).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>PReLU(x).</returns>
    public double Value(double x) => x > 0 ? x : FirstWeight * x;

    /// <summary>∂PReLU/∂x with the first weight a: 1 for x &gt; 0, else a (a at 0).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>The derivative.</returns>
    public double Derivative(double x) => x > 0 ? 1 : FirstWeight;

    private double FirstWeight => weight[0].ToDouble();

    /// <summary>Applies PReLU with the current weights.</summary>
    /// <param name="input">A floating-point tensor; with more than one weight, its dim 1 must have <see cref="NumParameters"/> entries.</param>
    /// <returns>A new tensor of the same shape.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not floating-point, or the weight count is neither 1 nor its channel count.</exception>
    public override Tensor forward(Tensor input)
    {
        TensorBridge.ValidateInput(input, nameof(PReLU), this);
        return Apply(input, weight);
    }

    /// <summary>The functional form, <c>F.prelu(input, weight)</c>, with the reference kernel and analytic backward for both arguments.</summary>
    /// <param name="input">A floating-point tensor.</param>
    /// <param name="weight">1 weight or one per channel (dim 1 of <paramref name="input"/>).</param>
    /// <returns>A new tensor of the same shape.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A non-floating input, a weight that is not 1-d, or a weight count that is neither 1 nor the channel count.</exception>
    public static Tensor Apply(Tensor input, Tensor weight)
    {
        TensorBridge.ValidateInput(input, nameof(PReLU));
        _ = weight ?? throw new ArgumentNullException(null, "PReLU: 'weight' is null; pass a value.");
        long channels = Channels(input);
        if (weight.dim() > 1 || (weight.numel() != 1 && weight.numel() != channels))
        {
            throw new ArgumentException($"PReLU has {weight.numel()} weights (shape [{string.Join(", ", weight.shape)}]) but the input (shape [{string.Join(", ", input.shape)}]) has {channels} channels in dim 1; use num_parameters = 1 or {channels}.");
        }

        return PreluFunction.apply(input, weight);
    }

    internal static long Channels(Tensor x) => x.dim() >= 2 ? x.shape[1] : 1;

    internal static ReductionLayout LayoutOf(Tensor x) =>
        x.dim() >= 2 ? ReductionLayout.Of(x.shape, 1) : new ReductionLayout(1, 1, checked((int)x.numel()));

    internal static Tensor BroadcastWeight(Tensor w, Tensor x)
    {
        if (w.numel() == 1 || x.dim() < 2)
        {
            return w.reshape(1);
        }

        long[] shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        shape[1] = w.numel();
        return w.reshape(shape);
    }
}
