using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.RAdam</c> written from scratch (PyTorch 2.6 single-tensor semantics): Adam whose adaptive
/// step is switched on once the variance rectification term ρ_t exceeds 5 (before that, bias-corrected momentum SGD);
/// <c>decoupled_weight_decay</c> gives RAdamW.
/// </summary>
public sealed partial class RAdam : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones are skipped while their grad is null).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Weight decay (L2, or decoupled).</param>
    /// <param name="decoupledWeightDecay">Decay the parameter directly instead of adding an L2 term.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad parameter list.</exception>
    public RAdam(IEnumerable<torch.Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false, bool maximize = false, bool? @foreach = null, bool capturable = false, bool differentiable = false)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(null, "RAdam: 'parameters' is null; pass a value."))], lr, betas, eps, weightDecay, decoupledWeightDecay, maximize, @foreach, capturable, differentiable)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are every group's defaults.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Weight decay (L2, or decoupled).</param>
    /// <param name="decoupledWeightDecay">Decay the parameter directly instead of adding an L2 term.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad group.</exception>
    public RAdam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false, bool maximize = false, bool? @foreach = null, bool capturable = false, bool differentiable = false)
        : base(groups, OptimizerDefaults.RAdam(lr, betas ?? (0.9, 0.999), eps, weightDecay, decoupledWeightDecay, maximize, @foreach, capturable, differentiable))
    {
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "exp_avg", "exp_avg_sq"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => ["step"];

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        (double beta1, double beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps");
        double step = state.Step;
        torch.Tensor m = state.Zeros("exp_avg", parameter);
        torch.Tensor v = state.Zeros("exp_avg_sq", parameter);
        double bc1 = 1 - Math.Pow(beta1, step);
        double bc2 = 1 - Math.Pow(beta2, step);
        double rhoInf = (2 / (1 - beta2)) - 1;
        double rhoT = rhoInf - (2 * step * Math.Pow(beta2, step) / bc2);
        bool rectified = rhoT > 5.0;
        double rect = rectified ? Math.Pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5) : 0;
        double bc2Sqrt = Math.Pow(bc2, 0.5);
        if (fused)
        {
            var rule = new Kernel(1 - beta1, beta2, 1 - beta2, bc1, lr, rectified, bc2Sqrt, rect, eps);
            RunFused(group, parameter, grad, state, rule, m, v, decoupled: group.GetBool("decoupled_weight_decay"));
            return;
        }

        torch.Tensor g = EffectiveGrad(group, parameter, grad, state, group.GetBool("decoupled_weight_decay"));
        m.lerp_(g, Weight(1 - beta1));
        v.mul_(S(beta2)).addcmul_(g, g, value: S(1 - beta2));
        torch.Tensor corrected = m.div(S(bc1));
        if (rectified)
        {
            // PyTorch: bias_corrected_exp_avg * lr * (bc2 ** 0.5 / (√v + eps)) * rect; a float over a tensor is reciprocal() * float.
            torch.Tensor adaptive = v.sqrt().add_(S(eps), One).reciprocal_().mul_(S(bc2Sqrt));
            parameter.add_(corrected.mul_(S(lr)).mul_(adaptive).mul_(S(rect)), alpha: S(-1.0));
        }
        else
        {
            parameter.add_(corrected.mul_(S(lr)), alpha: S(-1.0));
        }
    }

    /// <summary>
    /// PyTorch's single-tensor RAdam update after the prologue, in LibTorch's rounding: <c>m = lerp(m, g, 1−β1)</c>;
    /// <c>v = fma((1−β2)·g, g, v·β2)</c>; <c>x = (m / bc1)·lr</c>; rectified: <c>x = (x · ((1 / (√v + eps))·√bc2))·rect</c>;
    /// <c>p = p − x</c>. Buffers: exp_avg, exp_avg_sq.
    /// </summary>
    private readonly struct Kernel(double oneMinusBeta1, double beta2, double oneMinusBeta2, double bc1, double lr, bool rectified, double bc2Sqrt, double rect, double eps) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            StepLanes.Moments(ref s0, ref s1, g, oneMinusBeta1, beta2, oneMinusBeta2);
            TV x = s0 / TV.Create(bc1) * TV.Create(lr);
            if (rectified)
            {
                TV adaptive = TV.Create(1.0) / (TV.Sqrt(s1) + TV.Create(eps)) * TV.Create(bc2Sqrt);
                x = x * adaptive * TV.Create(rect);
            }

            p -= x;
        }
    }
}
