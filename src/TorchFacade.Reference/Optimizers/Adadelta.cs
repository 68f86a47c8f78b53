using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.Adadelta</c> written from scratch (PyTorch 2.6 single-tensor semantics):
/// s ← ρ·s + (1−ρ)·g²; Δ = √(a + eps) / √(s + eps) · g; a ← ρ·a + (1−ρ)·Δ²; p ← p − lr·Δ.
/// </summary>
public sealed partial class Adadelta : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones are skipped while their grad is null).</param>
    /// <param name="lr">Learning rate (scales Δ).</param>
    /// <param name="rho">Running-average coefficient ρ.</param>
    /// <param name="eps">Added inside both square roots.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad parameter list.</exception>
    public Adadelta(IEnumerable<torch.Tensor> parameters, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false, bool capturable = false, bool? @foreach = null, bool differentiable = false)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(null, "Adadelta: 'parameters' is null; pass a value."))], lr, rho, eps, weightDecay, maximize, capturable, @foreach, differentiable)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are every group's defaults.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate (scales Δ).</param>
    /// <param name="rho">Running-average coefficient ρ.</param>
    /// <param name="eps">Added inside both square roots.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad group.</exception>
    public Adadelta(IEnumerable<ParamGroup> groups, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false, bool capturable = false, bool? @foreach = null, bool differentiable = false)
        : base(groups, OptimizerDefaults.Adadelta(lr, rho, eps, weightDecay, maximize, capturable, @foreach, differentiable))
    {
    }

    /// <inheritdoc />
    private protected override bool DecaysBeforeRealView => true;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "square_avg", "acc_delta"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => ["step"];

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        double lr = group.Lr, rho = group.GetDouble("rho"), eps = group.GetDouble("eps");
        torch.Tensor sq = state.Zeros("square_avg", parameter);
        torch.Tensor acc = state.Zeros("acc_delta", parameter);
        if (fused)
        {
            RunFused(group, parameter, grad, state, new Kernel(rho, 1 - rho, eps, -lr, state.Complex), sq, acc);
            return;
        }

        torch.Tensor g = EffectiveGrad(group, parameter, grad, state);
        sq.mul_(S(rho)).addcmul_(g, g, value: S(1 - rho));
        torch.Tensor std = sq.add(S(eps), One).sqrt_();
        torch.Tensor delta = acc.add(S(eps), One).sqrt_();
        delta.div_(std).mul_(g);
        acc.mul_(S(rho)).addcmul_(delta, delta, value: S(1 - rho));
        if (state.Complex)
        {
            // PyTorch 2.6 turns delta back into a complex view for the last line: param.add_(delta, alpha=-lr) in complex arithmetic.
            torch.view_as_complex(parameter).add_(torch.view_as_complex(delta), alpha: S(-lr));
        }
        else
        {
            parameter.add_(delta, alpha: S(-lr));
        }
    }

    /// <summary>
    /// PyTorch's single-tensor Adadelta update after the prologue, in LibTorch's rounding: <c>sq = fma((1−ρ)·g, g, sq·ρ)</c>;
    /// <c>δ = √(acc + eps) / √(sq + eps) · g</c>; <c>acc = fma((1−ρ)·δ, δ, acc·ρ)</c>; <c>p = fma(δ, −lr, p)</c> (complex parameters: <c>p + δ·(−lr)</c>, rounded twice, as LibTorch's complex <c>add_</c>).
    /// Buffers: square_avg, acc_delta.
    /// </summary>
    private readonly struct Kernel(double rho, double oneMinusRho, double eps, double negLr, bool complex) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            TV e = TV.Create(eps);
            s0 = StepLanes.SquareAverage(s0, g, rho, oneMinusRho);
            TV delta = TV.Sqrt(s1 + e) / TV.Sqrt(s0 + e) * g;
            s1 = StepLanes.SquareAverage(s1, delta, rho, oneMinusRho);
            p = complex ? p + (delta * TV.Create(negLr)) : TV.FusedMultiplyAdd(delta, TV.Create(negLr), p);
        }
    }
}
