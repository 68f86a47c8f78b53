using F = TorchSharp.torch.nn.functional;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// Golden group, <c>grad_fn</c> names: each expression of <c>tests/golden/make_semantics_golden.py</c> written the way
/// a C# port writes it, on the same leaves, vs <c>type(t.grad_fn).__name__</c> that PyTorch recorded. Where TorchSharp's
/// overload choice records a different node (a C# number goes to a <c>Scalar</c> overload: <c>AddBackward1</c>, where
/// Python wraps the number in a tensor: <c>AddBackward0</c>), the case fails and the known-divergences manifest
/// (<c>Divergences/known-divergences.json</c>) makes it an expected failure with the reason; the gradients are the same.
/// </summary>
internal sealed class GoldenGradFnCases : ICaseSource
{
    private static readonly Dictionary<string, Func<GradFnLeaves, Tensor>> Expressions = new(StringComparer.Ordinal)
    {
        ["add"] = l => l.X + l.W,
        ["add-scalar"] = l => l.X + 2,
        ["radd-scalar"] = l => 2 + l.X,
        ["sub"] = l => l.X - l.W,
        ["sub-scalar"] = l => l.X - 2,
        ["rsub-scalar"] = l => 2 - l.X,
        ["mul"] = l => l.X * l.W,
        ["mul-scalar"] = l => l.X * 3,
        ["div"] = l => l.X / l.W,
        ["div-scalar"] = l => l.X / 2,
        ["neg"] = l => -l.X,
        ["pow-scalar"] = l => l.X.pow(2),
        ["pow-tensor"] = l => l.X.pow(l.W),
        ["exp"] = l => l.X.exp(),
        ["log"] = l => l.X.log(),
        ["sqrt"] = l => l.X.sqrt(),
        ["abs"] = l => l.X.abs(),
        ["sin"] = l => l.X.sin(),
        ["tanh"] = l => l.X.tanh(),
        ["sigmoid"] = l => l.X.sigmoid(),
        ["relu"] = l => l.X.relu(),
        ["gelu"] = l => F.gelu(l.X),
        ["silu"] = l => F.silu(l.X),
        ["softmax"] = l => F.softmax(l.X, 1),
        ["log-softmax"] = l => F.log_softmax(l.X, 1),
        ["sum"] = l => l.X.sum(),
        ["sum-dim"] = l => l.X.sum(1),
        ["mean"] = l => l.X.mean(),
        ["mean-dim"] = l => l.X.mean([1]),
        ["max"] = l => l.X.max(),
        ["std"] = l => l.X.std(),
        ["var"] = l => l.X.var(),
        ["matmul"] = l => l.X.matmul(l.W.t()),
        ["matmul-vector"] = l => l.X.matmul(l.V),
        ["linear"] = l => F.linear(l.X, l.W, l.B),
        ["view"] = l => l.X.View(-1),
        ["reshape"] = l => l.X.Reshape(3, 2),
        ["reshape-of-transposed"] = l => l.X.t().Reshape(-1),
        ["t"] = l => l.X.t(),
        ["transpose"] = l => l.X.transpose(0, 1),
        ["permute"] = l => l.X.permute(1, 0),
        ["select"] = l => l.X[0],
        ["slice"] = l => l.X[TensorIndex.Colon, TensorIndex.Slice(1)],
        ["index-tensor"] = l => l.X[tensor(new long[] { 1, 0 })],
        ["unsqueeze"] = l => l.X.unsqueeze(0),
        ["squeeze-dim"] = l => l.X.unsqueeze(0).squeeze(0),
        ["expand"] = l => l.V.expand(2, 3),
        ["cat"] = l => cat([l.X, l.W]),
        ["stack"] = l => stack([l.X, l.W]),
        ["clone"] = l => l.X.Clone(),
        ["contiguous-of-transposed"] = l => l.X.t().contiguous(),
        ["to-float64"] = l => l.X.to(ScalarType.Float64),
        ["flatten"] = l => l.X.flatten(),
        ["clamp-min"] = l => l.X.clamp(min: 2.0),
        ["clamp"] = l => l.X.clamp(2.0, 5.0),
        ["where"] = l => where(l.X > 2, l.X, l.W),
        ["mse-loss"] = l => F.mse_loss(l.X, l.W),
        ["cross-entropy"] = l => F.cross_entropy(l.X, tensor(new long[] { 0, 2 }, device: l.X.device)),
        ["add_-tensor"] = l => l.X.Clone().add_(l.W),
        ["mul_-scalar"] = l => l.X.Clone().mul_(2),
        ["detach"] = l => l.X.Detach(),
        ["no-grad"] = l =>
        {
            using (Torch.NoGrad())
            {
                return l.X * 2;
            }
        },
    };

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        yield return SemanticGolden.CatalogMatches("grad-fn", "grad_fn", Expressions.Keys);
        foreach ((string name, Func<GradFnLeaves, Tensor> expression) in Expressions.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (ConformanceCase c in SemanticGolden.Twins(
                         "grad-fn", name,
                         $"the '{name}' expression of make_semantics_golden.py records the grad_fn PyTorch {SemanticGolden.Torch} records",
                         "facade grad_fn name vs type(t.grad_fn).__name__ stored by PyTorch",
                         device => Check(name, expression, device)))
            {
                yield return c;
            }
        }
    }

    private static CaseResult Check(string name, Func<GradFnLeaves, Tensor> expression, Device device)
    {
        if (!SemanticGolden.Section("grad_fn").TryGetValue(name, out var entry))
        {
            return CaseResult.Fail($"tests/golden/{SemanticGolden.FileName} has no grad_fn entry '{name}': run ./build.sh golden");
        }

        string? python = entry.ValueKind == System.Text.Json.JsonValueKind.Null ? null : entry.GetString();
        Tensor result = expression(GradFnLeaves.On(device));
        GradFn? node = result.GradFn;
        if (node is not null && node.Name is null)
        {
            return CaseResult.Skip("skipped: GradFn.Name is not readable on this platform (LibTorch's C++ ABI is read on Linux x64 only)");
        }

        string? mine = node?.Name;
        if (mine == python)
        {
            return CaseResult.Pass(note: mine ?? "None");
        }

        return CaseResult.Fail($"grad_fn is {mine ?? "None"}, PyTorch {SemanticGolden.Torch} records {python ?? "None"}");
    }
}
