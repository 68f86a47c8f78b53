namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.AdamW</c> written from scratch (PyTorch 2.x: <c>Adam(..., decoupled_weight_decay=True)</c>):
/// p ← p·(1 − lr·wd) first, with the current lr, then the <see cref="Adam"/> update with no L2 term. Default weight decay
/// 1e-2 (TorchSharp's own AdamW defaults to 0).
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors that require grad.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay rate (default 1e-2).</param>
    /// <param name="amsgrad">Use the running maximum of the raw second moment.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <exception cref="ArgumentException">PyTorch's checks (see <see cref="Adam"/>).</exception>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag, kept in the groups.</param>
    public AdamW(IEnumerable<torch.Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false, bool? @foreach = null, bool capturable = false, bool differentiable = false, bool? fused = null)
        : base(parameters, lr, betas, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: true, @foreach, capturable, differentiable, fused)
    {
    }

    /// <summary>Creates the optimizer over parameter groups; the values below are the defaults of every group.</summary>
    /// <param name="groups">The groups.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay rate (default 1e-2).</param>
    /// <param name="amsgrad">Use the running maximum of the raw second moment.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag.</param>
    /// <exception cref="ArgumentException">PyTorch's checks, or a bad group.</exception>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false, bool? @foreach = null, bool capturable = false, bool differentiable = false, bool? fused = null)
        : base(groups, lr, betas, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: true, @foreach, capturable, differentiable, fused)
    {
    }
}
