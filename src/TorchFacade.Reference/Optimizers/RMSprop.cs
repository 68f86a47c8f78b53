using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.RMSprop</c> written from scratch: g ← −g (maximize); g ← g + wd·p; sq ← α·sq + (1−α)·g²;
/// centered: ga ← α·ga + (1−α)·g, avg = √(sq − ga²) + eps, else avg = √sq + eps (eps outside the root, no bias
/// correction); momentum μ &gt; 0: buf ← μ·buf + g/avg, p ← p − lr·buf (buf starts at zero), else p ← p − lr·g/avg.
/// </summary>
public sealed class RMSprop : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors that require grad.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="alpha">Smoothing constant.</param>
    /// <param name="eps">Added to the denominator after the square root (default 1e-8).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="centered">Normalize by the estimated variance of the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <exception cref="ArgumentException">PyTorch's checks: <c>Invalid learning rate</c>, <c>Invalid epsilon value</c>, <c>Invalid momentum value</c>, <c>Invalid weight_decay value</c>, <c>Invalid alpha value</c>.</exception>
    /// <param name="capturable">Must be false.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    public RMSprop(IEnumerable<torch.Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false, bool capturable = false, bool? @foreach = null, bool differentiable = false)
        : base(parameters, OptimizerDefaults.RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize, capturable, @foreach, differentiable))
    {
    }

    /// <summary>Creates the optimizer over parameter groups; the values below are the defaults of every group.</summary>
    /// <param name="groups">The groups.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="alpha">Smoothing constant.</param>
    /// <param name="eps">Added to the denominator after the square root.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="centered">Normalize by the estimated variance of the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks, or a bad group.</exception>
    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false, bool capturable = false, bool? @foreach = null, bool differentiable = false)
        : base(groups, OptimizerDefaults.RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize, capturable, @foreach, differentiable))
    {
    }

    /// <inheritdoc />
    private protected override bool DecaysBeforeRealView => true;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "square_avg", "momentum_buffer", "grad_avg"];

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        double momentum = group.GetDouble("momentum"), alpha = group.GetDouble("alpha"), eps = group.GetDouble("eps"), lr = group.Lr;
        torch.Tensor sq = state.Zeros("square_avg", parameter);
        torch.Tensor? buf = momentum > 0 ? state.Zeros("momentum_buffer", parameter) : null;
        torch.Tensor? ga = group.GetBool("centered") ? state.Zeros("grad_avg", parameter) : null;
        if (fused)
        {
            var rule = new Kernel(alpha, 1 - alpha, ga is not null, buf is not null, momentum, eps, -lr);
            RunFused(group, parameter, grad, state, rule, sq, ga, buf);
            return;
        }

        torch.Tensor g = EffectiveGrad(group, parameter, grad, state);
        sq.mul_(S(alpha)).addcmul_(g, g, value: S(1 - alpha));
        torch.Tensor avg;
        if (ga is not null)
        {
            ga.lerp_(g, Weight(1 - alpha));
            avg = sq.addcmul(ga, ga, value: S(-1)).sqrt_().add_(S(eps), One);
        }
        else
        {
            avg = sq.sqrt().add_(S(eps), One);
        }

        if (buf is not null)
        {
            buf.mul_(S(momentum)).addcdiv_(g, avg, One);
            parameter.add_(buf, alpha: S(-lr));
        }
        else
        {
            parameter.addcdiv_(g, avg, value: S(-lr));
        }
    }

    /// <summary>
    /// PyTorch's single-tensor RMSprop update after the prologue, in LibTorch's operation order:
    /// <c>sq = fma((1−α)·g, g, sq·α)</c> (<c>mul_</c>, then <c>addcmul_</c>, whose <c>self + value·t1·t2</c> LibTorch's
    /// compiler fuses); centered: <c>ga = lerp(ga, g, 1−α)</c>, <c>avg = √fma(−ga, ga, sq) + eps</c> (so α = 0 gives NaN
    /// where the fused residual is negative, as PyTorch does), else <c>avg = √sq + eps</c>; momentum:
    /// <c>buf = buf·μ + g/avg</c>, <c>p = fma(buf, −lr, p)</c>; else <c>p = p + (−lr·g)/avg</c>.
    /// Buffers: square_avg, grad_avg (centered), momentum_buffer (momentum).
    /// </summary>
    private readonly struct Kernel(double alpha, double oneMinusAlpha, bool centered, bool hasMomentum, double momentum, double eps, double negLr) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            s0 = StepLanes.SquareAverage(s0, g, alpha, oneMinusAlpha);
            TV avg;
            if (centered)
            {
                s1 = StepLanes.Lerp(s1, g, oneMinusAlpha);
                avg = TV.Sqrt(TV.FusedMultiplyAdd(-s1, s1, s0)) + TV.Create(eps);
            }
            else
            {
                avg = TV.Sqrt(s0) + TV.Create(eps);
            }

            if (hasMomentum)
            {
                s2 = (s2 * TV.Create(momentum)) + (g / avg);
                p = TV.FusedMultiplyAdd(s2, TV.Create(negLr), p);
            }
            else
            {
                p += TV.Create(negLr) * g / avg;
            }
        }
    }
}
