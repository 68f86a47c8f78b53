using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.Adam</c> written from scratch (PyTorch 2.x single-tensor semantics):
/// t ← t+1; g ← −g (maximize); g ← g + wd·p (or, decoupled, p ← p·(1 − lr·wd)); m ← β1·m + (1−β1)·g;
/// v ← β2·v + (1−β2)·g²; vmax ← max(vmax, v) (amsgrad, raw v); p ← p − (lr/bc1)·m / (√v/√bc2 + eps)
/// with bc = 1 − β^t computed in double.
/// </summary>
public class Adam : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors that require grad.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999); each in [0, 1).</param>
    /// <param name="eps">Added to the denominator after the square root and bias correction.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient (coupled), or the decoupled decay rate.</param>
    /// <param name="amsgrad">Use the running maximum of the raw second moment.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="decoupledWeightDecay">PyTorch's <c>decoupled_weight_decay</c>: AdamW's decay instead of L2.</param>
    /// <exception cref="ArgumentException">PyTorch's checks: <c>Invalid learning rate</c>, <c>Invalid epsilon value</c>, <c>Invalid beta parameter at index 0/1</c>, <c>Invalid weight_decay value</c>, or a bad parameter list.</exception>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag, kept in the groups.</param>
    public Adam(IEnumerable<torch.Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false, bool decoupledWeightDecay = false, bool? @foreach = null, bool capturable = false, bool differentiable = false, bool? fused = null)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(null, "Adam: 'parameters' is null; pass a value."))], lr, betas, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay, @foreach, capturable, differentiable, fused)
    {
    }

    /// <summary>Creates the optimizer over parameter groups; the values below are the defaults of every group.</summary>
    /// <param name="groups">The groups.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">L2 penalty (coupled) or the decoupled decay rate.</param>
    /// <param name="amsgrad">Use the running maximum of the raw second moment.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="decoupledWeightDecay">AdamW's decay instead of L2.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag.</param>
    /// <exception cref="ArgumentException">PyTorch's checks, or a bad group.</exception>
    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false, bool decoupledWeightDecay = false, bool? @foreach = null, bool capturable = false, bool differentiable = false, bool? fused = null)
        : base(groups, decoupledWeightDecay
            ? OptimizerDefaults.AdamW(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize, @foreach, capturable, differentiable, fused)
            : OptimizerDefaults.Adam(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize, @foreach, capturable, differentiable, fused))
    {
        DecoupledWeightDecay = decoupledWeightDecay;
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

    /// <summary>Whether weight decay is decoupled (AdamW) rather than an L2 term in the gradient.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        torch.Tensor m = state.Zeros("exp_avg", parameter);
        torch.Tensor v = state.Zeros("exp_avg_sq", parameter);
        torch.Tensor? vmax = group.GetBool("amsgrad") ? state.Zeros("max_exp_avg_sq", parameter) : null;
        (double beta1, double beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps");
        double bc1 = 1 - Math.Pow(beta1, state.Step);
        double bc2 = 1 - Math.Pow(beta2, state.Step);
        if (fused)
        {
            var rule = new Kernel(1 - beta1, beta2, 1 - beta2, vmax is not null, Math.Pow(bc2, 0.5), eps, -(lr / bc1));
            RunFused(group, parameter, grad, state, rule, m, v, vmax, DecoupledWeightDecay);
            return;
        }

        torch.Tensor g = EffectiveGrad(group, parameter, grad, state, DecoupledWeightDecay);
        m.lerp_(g, Weight(1 - beta1));
        v.mul_(S(beta2)).addcmul_(g, g, value: S(1 - beta2));
        torch.Tensor used = v;
        if (vmax is not null)
        {
            vmax.copy_(torch.maximum(vmax, v));
            used = vmax;
        }

        torch.Tensor denom = used.sqrt().div_(S(Math.Pow(bc2, 0.5))).add_(S(eps), One);
        parameter.addcdiv_(m, denom, value: S(-(lr / bc1)));
    }

    /// <summary>
    /// PyTorch's single-tensor Adam/AdamW update after the prologue, in LibTorch's operation order: <c>m = lerp(m, g, 1−β1)</c>
    /// (PyTorch's <c>exp_avg.lerp_</c>); <c>v = fma((1−β2)·g, g, v·β2)</c> (<c>mul_</c>, then the fused <c>addcmul_</c>);
    /// <c>vmax = max(vmax, v)</c> (amsgrad); <c>denom = √v / √bc2 + eps</c>; <c>p = p + (−lr/bc1 · m) / denom</c>.
    /// Buffers: exp_avg, exp_avg_sq, max_exp_avg_sq (amsgrad).
    /// </summary>
    private readonly struct Kernel(double oneMinusBeta1, double beta2, double oneMinusBeta2, bool amsgrad, double bc2Sqrt, double eps, double negStepSize) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            StepLanes.Moments(ref s0, ref s1, g, oneMinusBeta1, beta2, oneMinusBeta2);
            TV v = s1;
            if (amsgrad)
            {
                s2 = TV.Max(s2, v);
                v = s2;
            }

            TV denom = (TV.Sqrt(v) / TV.Create(bc2Sqrt)) + TV.Create(eps);
            p += TV.Create(negStepSize) * s0 / denom;
        }
    }
}
