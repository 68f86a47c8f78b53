using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Layers;

/// <summary>
/// GroupNorm written from scratch (PyTorch's <c>nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)</c>): for each
/// sample and group of <c>C/G</c> consecutive channels, <c>y = (x − E[x]) / √(Var[x] + eps)·γ + β</c> with the <b>biased</b>
/// variance and per-channel γ (init 1), β (init 0). Statistics always come from the current input (no running stats,
/// train and eval alike). The backward is analytic (a custom autograd function), not autograd of the composition.
/// </summary>
public sealed class GroupNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter? weight;
    private readonly Parameter? bias;

    /// <summary>Creates the layer.</summary>
    /// <param name="numGroups">G, the number of groups; must divide <paramref name="numChannels"/>.</param>
    /// <param name="numChannels">C, the channel count (dimension 1 of the input).</param>
    /// <param name="eps">Added to the variance (PyTorch default 1e-5).</param>
    /// <param name="affine">Whether to learn per-channel γ and β.</param>
    /// <param name="device">Device of the parameters.</param>
    /// <param name="dtype">Dtype of the parameters (float32 by default).</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive, G does not divide C, or eps is negative or not finite.</exception>
    public GroupNorm(long numGroups, long numChannels, double eps = 1e-5, bool affine = true, Device? device = null, ScalarType? dtype = null)
        : base(nameof(GroupNorm))
    {
        Validate(numGroups, numChannels, eps);
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        if (affine)
        {
            weight = new Parameter(torch.ones(numChannels, dtype: dtype ?? ScalarType.Float32, device: device));
            bias = new Parameter(torch.zeros(numChannels, dtype: dtype ?? ScalarType.Float32, device: device));
        }

        RegisterComponents();
    }

    /// <summary>G.</summary>
    public long NumGroups { get; }

    /// <summary>C.</summary>
    public long NumChannels { get; }

    /// <summary>eps.</summary>
    public double Eps { get; }

    /// <summary>γ, shape (C,), or <see langword="null"/> when not affine.</summary>
    public Parameter? Weight => weight;

    /// <summary>β, shape (C,), or <see langword="null"/> when not affine.</summary>
    public Parameter? Bias => bias;

    /// <summary>Normalises <paramref name="input"/> of shape (N, C, *).</summary>
    /// <param name="input">The input.</param>
    /// <returns>The normalised tensor, same shape.</returns>
    /// <exception cref="ArgumentException">The input is not (N, C, *) with C = <see cref="NumChannels"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        Activations.TensorBridge.ThrowIfDisposed(this, nameof(GroupNorm));
        return Functional(input, NumGroups, weight, bias, Eps, NumChannels);
    }

    /// <summary>The functional form, PyTorch's <c>F.group_norm(input, num_groups, weight, bias, eps)</c>.</summary>
    /// <param name="input">(N, C, *).</param>
    /// <param name="numGroups">G; must divide C.</param>
    /// <param name="weight">γ of shape (C,), or <see langword="null"/>.</param>
    /// <param name="bias">β of shape (C,), or <see langword="null"/>.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <returns>The normalised tensor.</returns>
    /// <exception cref="ArgumentException">A shape does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">G or eps is out of range.</exception>
    public static Tensor Functional(Tensor input, long numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        Functional(input, numGroups, weight, bias, eps, expectedChannels: null);

    private static Tensor Functional(Tensor input, long numGroups, Tensor? weight, Tensor? bias, double eps, long? expectedChannels)
    {
        _ = input ?? throw new ArgumentNullException(null, "GroupNorm: 'input' is null; pass a value.");
        if (input.dim() < 2)
        {
            throw new ArgumentException($"GroupNorm expects an input of shape (N, C, *) with at least 2 dimensions, got [{string.Join(", ", input.shape)}].");
        }

        long channels = input.shape[1];
        if (expectedChannels is { } expected && channels != expected)
        {
            throw new ArgumentException($"GroupNorm was built for {expected} channels but the input has {channels} (shape [{string.Join(", ", input.shape)}]).");
        }

        Validate(numGroups, channels, eps);
        CheckChannelVector(weight, channels, nameof(weight));
        CheckChannelVector(bias, channels, nameof(bias));
        return GroupNormFunction.apply(input, weight!, bias!, numGroups, eps);
    }

    private static void CheckChannelVector(Tensor? t, long channels, string name)
    {
        if (t is not null && (t.dim() != 1 || t.shape[0] != channels))
        {
            throw new ArgumentException($"GroupNorm: {name} must have shape ({channels},), one value per channel; got [{string.Join(", ", t.shape)}].");
        }
    }

    private static void Validate(long numGroups, long numChannels, double eps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numGroups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numChannels);
        if (numChannels % numGroups != 0)
        {
            throw new ArgumentOutOfRangeException(null, numGroups, $"GroupNorm: The number of groups ({numGroups}) must divide the number of channels ({numChannels}).");
        }

        if (!(eps >= 0) || double.IsInfinity(eps))
        {
            throw new ArgumentOutOfRangeException(null, eps, "GroupNorm: eps must be a finite number ≥ 0 (PyTorch's default is 1e-5).");
        }
    }
}
