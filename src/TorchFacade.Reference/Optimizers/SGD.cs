using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.SGD</c> written from scratch (PyTorch 2.x single-tensor semantics):
/// g ← −g (maximize); g ← g + wd·p; with momentum μ: buf ← g on the first step, else buf ← μ·buf + (1−τ)·g,
/// g ← g + μ·buf (nesterov) or buf; p ← p − lr·g.
/// </summary>
public sealed class SGD : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors that require grad (the caller's own tensors; they are updated in place).</param>
    /// <param name="lr">Learning rate (PyTorch 2.x default 1e-3).</param>
    /// <param name="momentum">Momentum factor μ.</param>
    /// <param name="dampening">Dampening τ (not applied on the first step).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum: needs momentum &gt; 0 and dampening 0.</param>
    /// <param name="maximize">Negate the gradient first (ascend the objective); the L2 term still pulls toward 0.</param>
    /// <exception cref="ArgumentException">PyTorch's checks: <c>Invalid learning rate</c>, <c>Invalid momentum value</c>, <c>Invalid weight_decay value</c>, <c>Nesterov momentum requires a momentum and zero dampening</c>, or a bad parameter list.</exception>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups (the update is the same either way).</param>
    /// <param name="differentiable">Must be false (autograd through the step is not supported).</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag, kept in the groups.</param>
    public SGD(IEnumerable<torch.Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool? fused = null)
        : base(parameters, OptimizerDefaults.SGD(lr, momentum, dampening, weightDecay, nesterov, maximize, @foreach, differentiable, fused))
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are the defaults of every group.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="momentum">Momentum factor μ.</param>
    /// <param name="dampening">Dampening τ.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag.</param>
    /// <exception cref="ArgumentException">PyTorch's checks, or a bad group.</exception>
    public SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool? fused = null)
        : base(groups, OptimizerDefaults.SGD(lr, momentum, dampening, weightDecay, nesterov, maximize, @foreach, differentiable, fused))
    {
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["momentum_buffer"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => [];

    /// <inheritdoc />
    protected override bool CountsSteps => false;

    /// <inheritdoc />
    private protected override bool UpdatesComplexDirectly => true;

    /// <inheritdoc />
    private protected override bool ChecksFusedOncePerOptimizer => true;

    /// <inheritdoc />
    private protected override string? FusedComplexError(torch.Tensor parameter) =>
        $"\"fused_sgd_kernel\" not implemented for '{(parameter.dtype == torch.ScalarType.ComplexFloat64 ? "ComplexDouble" : parameter.dtype == torch.ScalarType.ComplexFloat32 ? "ComplexFloat" : "ComplexHalf")}'";

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        double lr = group.Lr, momentum = group.GetDouble("momentum"), dampening = group.GetDouble("dampening");
        if (fused)
        {
            bool first = momentum != 0 && !state.Buffers.ContainsKey("momentum_buffer");
            torch.Tensor? buffer = momentum != 0 ? state.Zeros("momentum_buffer", parameter) : null;
            var rule = new Kernel(buffer is not null, first, group.GetBool("nesterov"), momentum, 1 - dampening, -lr);
            RunFused(group, parameter, grad, state, rule, buffer);
            return;
        }

        torch.Tensor g = EffectiveGrad(group, parameter, grad, state);
        if (momentum != 0)
        {
            torch.Tensor? buf = state.Get("momentum_buffer");
            if (buf is null)
            {
                buf = state.Put("momentum_buffer", g.clone());
            }
            else
            {
                buf.mul_(S(momentum)).add_(g, alpha: S(1 - dampening));
            }

            g = group.GetBool("nesterov") ? g.add(buf, alpha: S(momentum)) : buf;
        }

        parameter.add_(g, alpha: S(-lr));
    }

    /// <summary>
    /// PyTorch's single-tensor SGD update after the prologue, in LibTorch's operation order: <c>buf = g</c> on the first
    /// step, else <c>buf = fma(g, 1−τ, buf·μ)</c>; <c>g = fma(buf, μ, g)</c> (nesterov) or <c>g = buf</c>;
    /// <c>p = fma(g, −lr, p)</c>. Buffer: momentum_buffer (momentum only).
    /// </summary>
    private readonly struct Kernel(bool hasMomentum, bool firstStep, bool nesterov, double momentum, double oneMinusDampening, double negLr) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            if (hasMomentum)
            {
                TV mu = TV.Create(momentum);
                s0 = firstStep ? g : TV.FusedMultiplyAdd(g, TV.Create(oneMinusDampening), s0 * mu);
                g = nesterov ? TV.FusedMultiplyAdd(s0, mu, g) : s0;
            }

            p = TV.FusedMultiplyAdd(g, TV.Create(negLr), p);
        }
    }
}
