using TorchFacade.Reference.Activations;

namespace TorchFacade.Conformance.Cases.Activations;

/// <summary>The element-wise activations of the reference library, as the conformance suite and tests enumerate them.</summary>
public static class ActivationSpecs
{
    /// <summary>Every element-wise reference activation (both GELU modes, Swish with β = 1 and β = 1.5, Softplus with β = 1 and 2).</summary>
    public static IReadOnlyList<ActivationSpec> All { get; } =
    [
        new("sigmoid", () => new Sigmoid(), x => x.sigmoid(), "torch.sigmoid", true),
        new("tanh", () => new Tanh(), x => x.tanh(), "torch.tanh", true),
        new("relu", () => new ReLU(), x => nn.functional.relu(x), "F.relu", true),
        new("leaky-relu", () => new LeakyReLU(), x => nn.functional.leaky_relu(x, 0.01), "F.leaky_relu(x, 0.01)", true),
        new("leaky-relu-0.2", () => new LeakyReLU(0.2), x => nn.functional.leaky_relu(x, 0.2), "F.leaky_relu(x, 0.2)", true),
        new("silu", () => new SiLU(), x => nn.functional.silu(x), "F.silu", true),
        new("swish-1", () => new Swish(1.0), x => nn.functional.silu(x), "F.silu (Swish with beta = 1 is SiLU)", true),
        new("swish-1.5", () => new Swish(1.5), x => x.mul(x.mul(1.5).sigmoid()), "x * torch.sigmoid(1.5 x) (no LibTorch kernel)", false),
        new("gelu-none", () => new GELU("none"), x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.none), "F.gelu(x, approximate='none')", true),
        new("gelu-tanh", () => new GELU("tanh"), x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh), "F.gelu(x, approximate='tanh')", true),
        new("selu", () => new SELU(), x => nn.functional.selu(x), "F.selu", true),
        new("elu", () => new ELU(), x => nn.functional.elu(x, 1.0), "F.elu(x, 1.0)", true),
        new("elu-0.5", () => new ELU(0.5), x => nn.functional.elu(x, 0.5), "F.elu(x, 0.5)", true),
        new("softplus", () => new Softplus(), x => nn.functional.softplus(x, 1, 20), "F.softplus(x, 1, 20)", true),
        new("softplus-beta2", () => new Softplus(2, 20), x => nn.functional.softplus(x, 2, 20), "F.softplus(x, 2, 20)", true),
        new("mish", () => new Mish(), x => nn.functional.mish(x), "F.mish", true),
        new("xtanh", () => new XTanh(), x => x.mul(x.tanh()), "x * torch.tanh(x) (no LibTorch kernel)", false),
        new("xsin", () => new XSin(), x => x.mul(x.sin()), "x * torch.sin(x) (no LibTorch kernel)", false),
    ];

    /// <summary>The spec with id <paramref name="id"/>.</summary>
    /// <param name="id">An id from <see cref="All"/>.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="KeyNotFoundException">No such id.</exception>
    public static ActivationSpec Get(string id) =>
        All.FirstOrDefault(s => s.Id == id) ?? throw new KeyNotFoundException($"No activation spec '{id}'; known: {string.Join(", ", All.Select(s => s.Id))}.");
}
