namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// The state a reference optimizer keeps for one parameter: its step count, its buffers shaped like the parameter and its
/// one-number tensors (PyTorch's names). For a complex parameter the buffers are complex, as PyTorch's are, and the
/// update works on their real views (PyTorch's <c>view_as_real</c>).
/// </summary>
internal sealed class ParamState : IDisposable
{
    /// <summary>Steps taken with a gradient (PyTorch's <c>state["step"]</c>).</summary>
    public long Step { get; set; }

    /// <summary>Whether the parameter is complex: buffers are stored complex and handed out as real views.</summary>
    public bool Complex { get; set; }

    /// <summary>Whether the L2 term is added as PyTorch adds it to a complex gradient before <c>view_as_real</c> (RMSprop, Adagrad, Adamax, Adadelta): <c>g + wd·p</c> rounded twice, not one fused multiply-add.</summary>
    public bool ComplexDecay { get; set; }

    /// <summary>Buffers by PyTorch's name (<c>exp_avg</c>, <c>momentum_buffer</c>, ...), on the parameter's device and dtype, and 0-d scalars (<c>mu_product</c>, <c>eta</c>, <c>mu</c>).</summary>
    public Dictionary<string, torch.Tensor> Buffers { get; } = new(StringComparer.Ordinal);

    /// <summary>The named buffer (as the real view for a complex parameter), created as zeros shaped like <paramref name="parameter"/> when missing.</summary>
    /// <param name="name">PyTorch's name.</param>
    /// <param name="parameter">The parameter (its real view for a complex parameter).</param>
    /// <returns>The buffer, in the parameter's real-or-not form.</returns>
    public torch.Tensor Zeros(string name, torch.Tensor parameter) => Get(name) ?? Put(name, torch.zeros_like(parameter));

    /// <summary>The named buffer in the form the update uses (a real view for complex parameters), or null when missing.</summary>
    /// <param name="name">PyTorch's name.</param>
    /// <returns>The buffer or <see langword="null"/>.</returns>
    public torch.Tensor? Get(string name) =>
        Buffers.TryGetValue(name, out torch.Tensor? t) ? (Complex && torch.is_complex(t) ? torch.view_as_real(t) : t) : null;

    /// <summary>Stores <paramref name="value"/> (a new tensor in the update's dispose scope, in the update's form) as the named buffer.</summary>
    /// <param name="name">PyTorch's name.</param>
    /// <param name="value">The buffer; for a complex parameter its real view, stored as the complex tensor over the same memory.</param>
    /// <returns><paramref name="value"/>.</returns>
    public torch.Tensor Put(string name, torch.Tensor value)
    {
        if (Buffers.Remove(name, out torch.Tensor? old))
        {
            old.Dispose();
        }

        Buffers[name] = Complex ? torch.view_as_complex(value.contiguous()).DetachFromDisposeScope() : value.DetachFromDisposeScope();
        return Get(name)!;
    }

    /// <summary>The named 0-d scalar tensor (never complex), created by <paramref name="create"/> when missing.</summary>
    /// <param name="name">PyTorch's name.</param>
    /// <param name="create">Makes the initial tensor.</param>
    /// <returns>The tensor.</returns>
    public torch.Tensor Scalar(string name, Func<torch.Tensor> create)
    {
        if (!Buffers.TryGetValue(name, out torch.Tensor? t))
        {
            t = create().DetachFromDisposeScope();
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
