using TorchSharp;

namespace TorchFacade.Reference.Optimizers;

/// <summary>The state a reference optimizer keeps for one parameter: its step count and named buffers (PyTorch's names).</summary>
internal sealed class ParamState : IDisposable
{
    /// <summary>Steps taken with a gradient (PyTorch's <c>state["step"]</c>).</summary>
    public long Step { get; set; }

    /// <summary>Buffers by PyTorch's name (<c>exp_avg</c>, <c>momentum_buffer</c>, ...), on the parameter's device and dtype.</summary>
    public Dictionary<string, torch.Tensor> Buffers { get; } = new(StringComparer.Ordinal);

    /// <summary>The named buffer, created as zeros shaped like <paramref name="parameter"/> when missing.</summary>
    /// <param name="name">PyTorch's name.</param>
    /// <param name="parameter">The parameter.</param>
    /// <returns>The buffer.</returns>
    public torch.Tensor Zeros(string name, torch.Tensor parameter)
    {
        if (!Buffers.TryGetValue(name, out torch.Tensor? t))
        {
            t = torch.zeros_like(parameter).DetachFromDisposeScope();
            Buffers[name] = t;
        }

        return t;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (torch.Tensor t in Buffers.Values)
        {
            t.Dispose();
        }

        Buffers.Clear();
    }
}
