using F = TorchSharp.torch.nn.functional;

namespace TorchFacade.Conformance.Cases.Autograd;

/// <summary>
/// The expression catalog of <c>tests/golden/make_autograd_golden.py</c>, one C# line per Python line, over the same
/// inputs: leaves <c>x</c>, <c>y</c> (2×3), <c>w</c> (3×4), <c>p</c> (2×3, positive) and <c>c</c> (2×3, not requiring
/// grad), all float64. Binary operations take tensors on both sides so TorchSharp calls the same LibTorch overloads as
/// Python (TorchSharp's scalar overloads make the <c>*Backward1</c> nodes).
/// </summary>
internal static class AutogradExpressions
{
    private static readonly double[,] X = { { 0.5, -1.25, 2.0 }, { 1.5, 0.75, -0.5 } };
    private static readonly double[,] Y = { { 1.0, 2.0, -0.5 }, { 0.25, -1.5, 1.25 } };
    private static readonly double[,] W = { { 0.5, -0.25, 1.0, 0.1 }, { 0.3, 0.2, -0.7, 0.4 }, { -0.6, 0.9, 0.05, -0.2 } };
    private static readonly double[,] P = { { 0.6, 1.3, 2.2 }, { 0.9, 1.7, 0.4 } };

    private static readonly Dictionary<string, Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>> Catalog = new()
    {
        ["add"] = (x, y, w, p, c) => torch.add(x, y),
        ["sub"] = (x, y, w, p, c) => torch.sub(x, y),
        ["mul"] = (x, y, w, p, c) => torch.mul(x, y),
        ["mul-const"] = (x, y, w, p, c) => torch.mul(x, c),
        ["div"] = (x, y, w, p, c) => torch.div(x, p),
        ["mm"] = (x, y, w, p, c) => torch.mm(x, w),
        ["matmul"] = (x, y, w, p, c) => torch.matmul(x, w),
        ["t"] = (x, y, w, p, c) => x.t(),
        ["exp"] = (x, y, w, p, c) => torch.exp(x),
        ["log"] = (x, y, w, p, c) => torch.log(p),
        ["sin"] = (x, y, w, p, c) => torch.sin(x),
        ["cos"] = (x, y, w, p, c) => torch.cos(x),
        ["tanh"] = (x, y, w, p, c) => torch.tanh(x),
        ["sigmoid"] = (x, y, w, p, c) => torch.sigmoid(x),
        ["relu"] = (x, y, w, p, c) => F.relu(x),
        ["gelu"] = (x, y, w, p, c) => F.gelu(x),
        ["silu"] = (x, y, w, p, c) => F.silu(x),
        ["softplus"] = (x, y, w, p, c) => F.softplus(x),
        ["elu"] = (x, y, w, p, c) => F.elu(x, 1.0),
        ["sqrt"] = (x, y, w, p, c) => torch.sqrt(p),
        ["rsqrt"] = (x, y, w, p, c) => torch.rsqrt(p),
        ["reciprocal"] = (x, y, w, p, c) => torch.reciprocal(p),
        ["abs"] = (x, y, w, p, c) => torch.abs(x),
        ["neg"] = (x, y, w, p, c) => torch.neg(x),
        ["erf"] = (x, y, w, p, c) => torch.erf(x),
        ["atan2"] = (x, y, w, p, c) => torch.atan2(x, y),
        ["pow-tensor"] = (x, y, w, p, c) => torch.pow(p, y),
        ["maximum"] = (x, y, w, p, c) => torch.maximum(x, y),
        ["minimum"] = (x, y, w, p, c) => torch.minimum(x, y),
        ["where"] = (x, y, w, p, c) => torch.where(c > 0, x, y),
        ["sum"] = (x, y, w, p, c) => x.sum(),
        ["sum-dim"] = (x, y, w, p, c) => x.sum(1),
        ["mean"] = (x, y, w, p, c) => x.mean(),
        ["mean-dim"] = (x, y, w, p, c) => x.mean([0L]),
        ["prod"] = (x, y, w, p, c) => x.prod(),
        ["cumsum"] = (x, y, w, p, c) => torch.cumsum(x, 1),
        ["view"] = (x, y, w, p, c) => x.view(6),
        ["transpose"] = (x, y, w, p, c) => x.transpose(0, 1),
        ["permute"] = (x, y, w, p, c) => x.permute(1, 0),
        ["unsqueeze"] = (x, y, w, p, c) => x.unsqueeze(0),
        ["select"] = (x, y, w, p, c) => x.select(0, 1),
        ["narrow"] = (x, y, w, p, c) => x.narrow(1, 1, 2),
        ["cat"] = (x, y, w, p, c) => torch.cat([x, y], 0),
        ["stack"] = (x, y, w, p, c) => torch.stack([x, y]),
        ["clone"] = (x, y, w, p, c) => x.clone(),
        ["flip"] = (x, y, w, p, c) => torch.flip(x, 1),
        ["tril"] = (x, y, w, p, c) => torch.tril(x),
        ["softmax"] = (x, y, w, p, c) => torch.softmax(x, 1),
        ["log-softmax"] = (x, y, w, p, c) => F.log_softmax(x, 1),
        ["unbind-mul"] = (x, y, w, p, c) => torch.mul(torch.unbind(x, 0)[1], y.select(0, 0)),
        ["chunk-add"] = (x, y, w, p, c) => torch.add(torch.chunk(x, 3, 1)[2], torch.chunk(y, 3, 1)[0]),
        ["mse-loss"] = (x, y, w, p, c) => F.mse_loss(x, y),
        ["chain"] = (x, y, w, p, c) => torch.tanh(torch.mm(torch.mul(x, y), w)).sum(),
        ["linear"] = (x, y, w, p, c) => F.linear(x, w.t()),
    };

    private static readonly Dictionary<string, Func<Tensor, Tensor>> ActivationCatalog = new()
    {
        ["relu"] = t => F.relu(t),
        ["gelu"] = t => F.gelu(t),
        ["gelu-tanh"] = t => F.gelu(t, TorchSharp.Modules.GELU.Approximate.tanh),
        ["silu"] = t => F.silu(t),
        ["sigmoid"] = t => torch.sigmoid(t),
        ["tanh"] = t => torch.tanh(t),
        ["softplus"] = t => F.softplus(t),
        ["elu"] = t => F.elu(t, 1.0),
        ["selu"] = t => F.selu(t),
        ["mish"] = t => F.mish(t),
        ["leaky-relu"] = t => F.leaky_relu(t, 0.01),
    };

    /// <summary>The catalog's expression names, in the order of the Python script.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Catalog.Keys];

    /// <summary>The activations whose first and second derivatives are compared.</summary>
    public static IReadOnlyList<string> Activations { get; } = [.. ActivationCatalog.Keys];

    /// <summary>Fresh leaves <c>x, y, w, p</c> (requiring grad) and <c>c</c> (not), float64, on <paramref name="device"/>.</summary>
    public static Tensor[] Leaves(Device device) =>
    [
        Leaf(X, device, true), Leaf(Y, device, true), Leaf(W, device, true), Leaf(P, device, true), Leaf(Y, device, false),
    ];

    /// <summary>Builds one expression of the catalog.</summary>
    public static Tensor Build(string name, Tensor[] leaves) => Catalog[name](leaves[0], leaves[1], leaves[2], leaves[3], leaves[4]);

    /// <summary>Applies one activation of the second-order catalog.</summary>
    public static Tensor Activation(string name, Tensor x) => ActivationCatalog[name](x);

    private static Tensor Leaf(double[,] values, Device device, bool requiresGrad)
    {
        Tensor t = torch.tensor(values, dtype: ScalarType.Float64).to(device);
        return requiresGrad ? t.requires_grad_() : t;
    }
}
