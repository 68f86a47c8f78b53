using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.NAdam</c> written from scratch (PyTorch 2.6 single-tensor semantics): Adam with Nesterov
/// momentum and PyTorch's momentum schedule μ_t = β1·(1 − ½·0.96^(t·ψ)) (ψ = <c>momentum_decay</c>), the running product
/// of μ kept as a 0-d float32 tensor (<c>mu_product</c>) as PyTorch keeps it; <c>decoupled_weight_decay</c> gives NAdamW.
/// </summary>
public sealed partial class NAdam : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones are skipped while their grad is null).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Weight decay (L2, or decoupled).</param>
    /// <param name="momentumDecay">PyTorch's <c>momentum_decay</c> ψ.</param>
    /// <param name="decoupledWeightDecay">Decay the parameter directly (p ← p·(1 − lr·wd)) instead of adding an L2 term.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad parameter list.</exception>
    public NAdam(IEnumerable<torch.Tensor> parameters, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, double momentumDecay = 4e-3, bool decoupledWeightDecay = false, bool maximize = false, bool? @foreach = null, bool capturable = false, bool differentiable = false)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(null, "NAdam: 'parameters' is null; pass a value."))], lr, betas, eps, weightDecay, momentumDecay, decoupledWeightDecay, maximize, @foreach, capturable, differentiable)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are every group's defaults.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Weight decay (L2, or decoupled).</param>
    /// <param name="momentumDecay">PyTorch's <c>momentum_decay</c> ψ.</param>
    /// <param name="decoupledWeightDecay">Decay the parameter directly (p ← p·(1 − lr·wd)) instead of adding an L2 term.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad group.</exception>
    public NAdam(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, double momentumDecay = 4e-3, bool decoupledWeightDecay = false, bool maximize = false, bool? @foreach = null, bool capturable = false, bool differentiable = false)
        : base(groups, OptimizerDefaults.NAdam(lr, betas ?? (0.9, 0.999), eps, weightDecay, momentumDecay, decoupledWeightDecay, maximize, @foreach, capturable, differentiable))
    {
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "mu_product", "exp_avg", "exp_avg_sq"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => ["step", "mu_product"];

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        (double beta1, double beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps"), psi = group.GetDouble("momentum_decay");
        bool decoupled = group.GetBool("decoupled_weight_decay");
        double step = state.Step;
        torch.Tensor m = state.Zeros("exp_avg", parameter);
        torch.Tensor v = state.Zeros("exp_avg_sq", parameter);
        torch.Tensor muProduct = state.Scalar("mu_product", () => torch.tensor(1.0f));
        double bc2 = 1 - Math.Pow(beta2, step);
        double mu = beta1 * (1.0 - (0.5 * Math.Pow(0.96, step * psi)));
        double muNext = beta1 * (1.0 - (0.5 * Math.Pow(0.96, (step + 1) * psi)));
        muProduct.mul_(S(mu));
        double mp = muProduct.item<float>();
        double mpNext = mp * muNext;
        double c1 = -lr * (1.0 - mu) / (1.0 - mp);
        double c2 = -lr * muNext / (1.0 - mpNext);
        if (fused)
        {
            var rule = new Kernel(1 - beta1, beta2, 1 - beta2, bc2, eps, c1, c2);
            RunFused(group, parameter, grad, state, rule, m, v, decoupled: decoupled);
            return;
        }

        torch.Tensor g = EffectiveGrad(group, parameter, grad, state, decoupled);
        m.lerp_(g, Weight(1 - beta1));
        v.mul_(S(beta2)).addcmul_(g, g, value: S(1 - beta2));
        torch.Tensor denom = v.div(S(bc2)).sqrt_();
        denom.add_(S(eps), One);
        parameter.addcdiv_(g, denom, value: S(c1));
        parameter.addcdiv_(m, denom, value: S(c2));
    }

    /// <summary>
    /// PyTorch's single-tensor NAdam update after the prologue, in LibTorch's rounding: <c>m = lerp(m, g, 1−β1)</c>;
    /// <c>v = fma((1−β2)·g, g, v·β2)</c>; <c>d = √(v / bc2) + eps</c>; <c>p = p + (c1·g)/d</c>; <c>p = p + (c2·m)/d</c>.
    /// Buffers: exp_avg, exp_avg_sq.
    /// </summary>
    private readonly struct Kernel(double oneMinusBeta1, double beta2, double oneMinusBeta2, double bc2, double eps, double gradCoefficient, double momentCoefficient) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            StepLanes.Moments(ref s0, ref s1, g, oneMinusBeta1, beta2, oneMinusBeta2);
            TV d = TV.Sqrt(s1 / TV.Create(bc2)) + TV.Create(eps);
            p += TV.Create(gradCoefficient) * g / d;
            p += TV.Create(momentCoefficient) * s0 / d;
        }
    }
}
