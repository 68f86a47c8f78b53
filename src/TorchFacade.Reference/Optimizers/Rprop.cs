using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.Rprop</c> written from scratch (PyTorch 2.6 single-tensor semantics): per element, the step
/// size grows by η+ while the gradient keeps its sign and shrinks by η− when it flips (clamped to <c>step_sizes</c>); after a
/// flip the gradient counts as zero; p ← p − sign(g)·step. Like PyTorch, <c>lr</c> is read only when the state is created
/// (it is the initial step size).
/// </summary>
public sealed partial class Rprop : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones are skipped while their grad is null).</param>
    /// <param name="lr">Learning rate: the initial step size.</param>
    /// <param name="etas">(η−, η+), default (0.5, 1.2); 0 &lt; η− &lt; 1 &lt; η+.</param>
    /// <param name="stepSizes">(min, max) step size, default (1e-6, 50).</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="capturable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad parameter list.</exception>
    public Rprop(IEnumerable<torch.Tensor> parameters, double lr = 1e-2, (double EtaMinus, double EtaPlus)? etas = null, (double Min, double Max)? stepSizes = null, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool capturable = false)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(null, "Rprop: 'parameters' is null; pass a value."))], lr, etas, stepSizes, maximize, @foreach, differentiable, capturable)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are every group's defaults.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate: the initial step size.</param>
    /// <param name="etas">(η−, η+), default (0.5, 1.2); 0 &lt; η− &lt; 1 &lt; η+.</param>
    /// <param name="stepSizes">(min, max) step size, default (1e-6, 50).</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="capturable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad group.</exception>
    public Rprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, (double EtaMinus, double EtaPlus)? etas = null, (double Min, double Max)? stepSizes = null, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool capturable = false)
        : base(groups, OptimizerDefaults.Rprop(lr, etas ?? (0.5, 1.2), stepSizes ?? (1e-6, 50), maximize, @foreach, differentiable, capturable))
    {
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "prev", "step_size"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => ["step"];

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        (double etaMinus, double etaPlus) = group.GetPair("etas");
        (double minStep, double maxStep) = group.GetPair("step_sizes");
        torch.Tensor prev = state.Zeros("prev", parameter);
        torch.Tensor stepSize = state.Get("step_size") ?? state.Put("step_size", torch.full_like(parameter, S(group.Lr)));
        if (fused)
        {
            RunFused(group, parameter, grad, state, new Kernel(etaMinus, etaPlus, minStep, maxStep), prev, stepSize);
            return;
        }

        torch.Tensor g = EffectiveGrad(group, parameter, grad, state);
        torch.Tensor sign = g.mul(prev).sign_();
        sign.masked_fill_(sign.gt(S(0)), S(etaPlus));
        sign.masked_fill_(sign.lt(S(0)), S(etaMinus));
        sign.masked_fill_(sign.eq(S(0)), S(1));
        stepSize.mul_(sign).clamp_(S(minStep), S(maxStep));
        g = g.clone();
        g.masked_fill_(sign.eq(S(etaMinus)), S(0));
        parameter.addcmul_(g.sign(), stepSize, value: S(-1));
        prev.copy_(g);
    }

    /// <summary>
    /// PyTorch's single-tensor Rprop update after the prologue: the factor is η+ where <c>g·prev &gt; 0</c>, η− where it is
    /// &lt; 0, else 1; <c>step = clamp(step·factor, min, max)</c> (NaN stays NaN); where the factor is η− the gradient is
    /// zeroed; <c>p = fma(−sign(g), step, p)</c>; <c>prev = g</c>. Buffers: prev, step_size.
    /// </summary>
    private readonly struct Kernel(double etaMinus, double etaPlus, double minStep, double maxStep) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            TV zero = TV.Create(0.0), one = TV.Create(1.0);
            TV product = g * s0;
            TV flipped = TV.LessThan(product, zero);
            TV factor = TV.Select(TV.GreaterThan(product, zero), TV.Create(etaPlus), TV.Select(flipped, TV.Create(etaMinus), one));
            TV step = s1 * factor;
            TV min = TV.Create(minStep), max = TV.Create(maxStep);
            s1 = TV.Select(TV.LessThan(step, min), min, TV.Select(TV.GreaterThan(step, max), max, step));
            g = TV.Select(flipped, zero, g);
            TV sign = TV.Select(TV.GreaterThan(g, zero), one, TV.Select(TV.LessThan(g, zero), -one, zero));
            p = TV.FusedMultiplyAdd(-sign, s1, p);
            s0 = g;
        }
    }
}
