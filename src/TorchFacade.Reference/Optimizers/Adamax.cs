using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.Adamax</c> written from scratch (PyTorch 2.6 single-tensor semantics): m ← lerp(m, g, 1−β1);
/// u ← max(β2·u, |g| + eps); p ← p − (lr / (1 − β1^t))·m / u.
/// </summary>
public sealed partial class Adamax : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones are skipped while their grad is null).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to |g| before the maximum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="capturable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad parameter list.</exception>
    public Adamax(IEnumerable<torch.Tensor> parameters, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool capturable = false)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(null, "Adamax: 'parameters' is null; pass a value."))], lr, betas, eps, weightDecay, maximize, @foreach, differentiable, capturable)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are every group's defaults.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to |g| before the maximum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="capturable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad group.</exception>
    public Adamax(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool capturable = false)
        : base(groups, OptimizerDefaults.Adamax(lr, betas ?? (0.9, 0.999), eps, weightDecay, maximize, @foreach, differentiable, capturable))
    {
    }

    /// <inheritdoc />
    private protected override bool DecaysBeforeRealView => true;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "exp_avg", "exp_inf"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => ["step"];

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        (double beta1, double beta2) = group.GetPair("betas");
        double lr = group.Lr, eps = group.GetDouble("eps");
        torch.Tensor m = state.Zeros("exp_avg", parameter);
        torch.Tensor u = state.Zeros("exp_inf", parameter);
        double clr = lr / (1 - Math.Pow(beta1, state.Step));
        if (fused)
        {
            RunFused(group, parameter, grad, state, new Kernel(1 - beta1, beta2, eps, -clr), m, u);
            return;
        }

        torch.Tensor g = EffectiveGrad(group, parameter, grad, state);
        m.lerp_(g, Weight(1 - beta1));
        u.copy_(torch.maximum(u.mul_(S(beta2)), g.abs().add_(S(eps), One)));
        parameter.addcdiv_(m, u, value: S(-clr));
    }

    /// <summary>
    /// PyTorch's single-tensor Adamax update after the prologue, in LibTorch's rounding: <c>m = lerp(m, g, 1−β1)</c>;
    /// <c>u = maximum(u·β2, |g| + eps)</c> (NaN when either is NaN, as <c>torch.maximum</c>); <c>p = p + (−clr·m)/u</c>.
    /// Buffers: exp_avg, exp_inf.
    /// </summary>
    private readonly struct Kernel(double oneMinusBeta1, double beta2, double eps, double negClr) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            s0 = StepLanes.Lerp(s0, g, oneMinusBeta1);
            s1 = TV.Max(s1 * TV.Create(beta2), TV.Abs(g) + TV.Create(eps));
            p += TV.Create(negClr) * s0 / s1;
        }
    }
}
