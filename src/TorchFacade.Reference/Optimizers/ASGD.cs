using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.ASGD</c> (averaged SGD) written from scratch (PyTorch 2.6 single-tensor semantics):
/// p ← p·(1 − λ·η) − η·g; ax ← ax + μ·(p − ax) (a copy while μ = 1); then η ← lr / (1 + λ·lr·t)^α and μ ← 1 / max(1, t − t0),
/// η and μ kept as 0-d float32 tensors (<c>eta</c>, <c>mu</c>) as PyTorch keeps them.
/// </summary>
public sealed partial class ASGD : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones are skipped while their grad is null).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="lambd">Decay term λ.</param>
    /// <param name="alpha">Power α of the η schedule.</param>
    /// <param name="t0">Step at which averaging starts.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="capturable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad parameter list.</exception>
    public ASGD(IEnumerable<torch.Tensor> parameters, double lr = 1e-2, double lambd = 1e-4, double alpha = 0.75, double t0 = 1e6, double weightDecay = 0, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool capturable = false)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(null, "ASGD: 'parameters' is null; pass a value."))], lr, lambd, alpha, t0, weightDecay, maximize, @foreach, differentiable, capturable)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are every group's defaults.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="lambd">Decay term λ.</param>
    /// <param name="alpha">Power α of the η schedule.</param>
    /// <param name="t0">Step at which averaging starts.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="capturable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad group.</exception>
    public ASGD(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lambd = 1e-4, double alpha = 0.75, double t0 = 1e6, double weightDecay = 0, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool capturable = false)
        : base(groups, OptimizerDefaults.ASGD(lr, lambd, alpha, t0, weightDecay, maximize, @foreach, differentiable, capturable))
    {
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "eta", "mu", "ax"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => ["step", "eta", "mu"];

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        double lr = group.Lr, lambd = group.GetDouble("lambd"), alpha = group.GetDouble("alpha"), t0 = group.GetDouble("t0");
        torch.Tensor ax = state.Zeros("ax", parameter);
        torch.Tensor eta = state.Scalar("eta", () => torch.tensor((float)lr));
        torch.Tensor mu = state.Scalar("mu", () => torch.tensor(1.0f));
        double etaValue = eta.item<float>();
        double muValue = mu.item<float>();
        if (fused)
        {
            var rule = new Kernel(1 - (lambd * etaValue), -etaValue, muValue != 1, muValue);
            RunFused(group, parameter, grad, state, rule, ax);
        }
        else
        {
            torch.Tensor g = EffectiveGrad(group, parameter, grad, state);
            parameter.mul_(S(1 - (lambd * etaValue)));
            parameter.add_(g, alpha: S(-etaValue));
            if (muValue != 1)
            {
                ax.add_(parameter.sub(ax).mul_(mu), One);
            }
            else
            {
                ax.copy_(parameter);
            }
        }

        double step = state.Step;
        eta.copy_(torch.tensor(NextEta(lr, lambd, alpha, step), dtype: torch.ScalarType.Float64));

        // Python's max(1, step - t0) keeps 1 unless step - t0 is greater, so a NaN t0 gives μ = 1 (Math.Max would give NaN).
        double sinceT0 = step - t0;
        mu.copy_(torch.tensor(1 / (sinceT0 > 1 ? sinceT0 : 1), dtype: torch.ScalarType.Float64));
    }

    /// <summary>
    /// PyTorch's <c>lr / ((1 + lambd * lr * step) ** alpha)</c> with Python's float arithmetic: <c>0.0 ** negative</c> and a
    /// division by zero raise ZeroDivisionError, an overflowing power OverflowError, and a negative base with a non-integer
    /// power is a complex number whose quotient PyTorch's <c>eta.copy_</c> keeps the real part of (with a warning).
    /// </summary>
    private static double NextEta(double lr, double lambd, double alpha, double step)
    {
        double b = 1 + (lambd * lr * step);
        if (b == 0 && alpha < 0)
        {
            throw new DivideByZeroException($"ASGD.Step: 0.0 cannot be raised to a negative power computing eta = lr / (1 + lambd * lr * step) ** alpha with lambd = {lambd:R}, lr = {lr:R}, step = {step:R}, alpha = {alpha:R} (PyTorch raises ZeroDivisionError here). Use lambd >= 0 or alpha >= 0.");
        }

        if (b < 0 && double.IsFinite(b) && double.IsFinite(alpha) && Math.Floor(alpha) != alpha)
        {
            // Python: (-|b|) ** alpha = |b|**alpha · (cos(απ) + i sin(απ)); lr / z by CPython's complex division; real part kept.
            double length = Math.Pow(-b, alpha), phase = Math.PI * alpha;
            double x = length * Math.Cos(phase), y = length * Math.Sin(phase);
            if (x == 0 && y == 0)
            {
                throw new DivideByZeroException($"ASGD.Step: complex division by zero computing eta = lr / (1 + lambd * lr * step) ** alpha (PyTorch raises ZeroDivisionError here). Use lambd >= 0.");
            }

            if (Math.Abs(x) >= Math.Abs(y))
            {
                double ratio = y / x;
                return lr / (x + (y * ratio));
            }
            else
            {
                double ratio = x / y;
                return lr * ratio / ((x * ratio) + y);
            }
        }

        double power = Math.Pow(b, alpha);
        if (double.IsInfinity(power) && double.IsFinite(b) && double.IsFinite(alpha))
        {
            throw new OverflowException($"ASGD.Step: (34, 'Numerical result out of range') computing (1 + lambd * lr * step) ** alpha = {b:R} ** {alpha:R} (PyTorch raises OverflowError here).");
        }

        if (power == 0)
        {
            throw new DivideByZeroException($"ASGD.Step: float division by zero computing eta = lr / (1 + lambd * lr * step) ** alpha = {lr:R} / {b:R} ** {alpha:R} (PyTorch raises ZeroDivisionError here). Use a finite alpha and lambd.");
        }

        return lr / power;
    }

    /// <summary>
    /// PyTorch's single-tensor ASGD update after the prologue, in LibTorch's rounding: <c>p = fma(g, −η, p·(1 − λη))</c>;
    /// averaging (μ ≠ 1): <c>ax = ax + (p − ax)·μ</c>, else <c>ax = p</c>. Buffer: ax.
    /// </summary>
    private readonly struct Kernel(double decayFactor, double negEta, bool average, double mu) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            p = TV.FusedMultiplyAdd(g, TV.Create(negEta), p * TV.Create(decayFactor));
            s0 = average ? s0 + ((p - s0) * TV.Create(mu)) : p;
        }
    }
}
