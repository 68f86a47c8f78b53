namespace TorchFacade.Reference.Optimizers.Kernels;

/// <summary>
/// One optimizer's per-element update after the shared gradient prologue of <see cref="FusedStep{T, TRule}"/>, written
/// once against <see cref="ISimd{TSelf}"/> lanes so the vector widths and the scalar tail do the same arithmetic. The
/// rule holds its hyperparameters as <see cref="double"/> (PyTorch's Python floats) and rounds them to the lane type with
/// <see cref="ISimd{TSelf}.Create"/>, as ATen casts a scalar argument to the tensor's dtype.
/// </summary>
internal interface IStepRule
{
    /// <summary>Updates one vector of elements.</summary>
    /// <typeparam name="TV">The lanes.</typeparam>
    /// <param name="p">The parameter (already decayed when the decay is decoupled); written back.</param>
    /// <param name="g">The effective gradient (negated for maximize, L2 term added).</param>
    /// <param name="s0">The first state buffer (written back when present).</param>
    /// <param name="s1">The second state buffer (written back when present).</param>
    /// <param name="s2">The third state buffer (written back when present).</param>
    void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
        where TV : struct, ISimd<TV>;
}
