namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>PolynomialLR</c>: each group's learning rate decays as <c>(1 − epoch/totalIters)^power</c> of its
/// initial value, reaching 0 at epoch <c>totalIters</c>.
/// </summary>
public sealed class PolynomialLR : LRScheduler
{
    private int totalIters;
    private double power;

    /// <summary>Creates the schedule.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="totalIters">The number of epochs of the decay (PyTorch's <c>total_iters</c>, default 5).</param>
    /// <param name="power">The power of the polynomial (default 1).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public PolynomialLR(Optimizer optimizer, int totalIters = 5, double power = 1.0, int lastEpoch = -1)
        : base(optimizer)
    {
        this.totalIters = totalIters;
        this.power = power;
        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr()
    {
        if (LastEpoch == 0 || LastEpoch > totalIters)
        {
            return Optimizer.ParamGroups.Select(g => g.Lr).ToList();
        }

        double now = 1.0 - PyMath.Div(LastEpoch, totalIters, "PolynomialLR.Step", "last_epoch / total_iters", "Check total_iters (>= 1) and power.");
        double before = 1.0 - PyMath.Div(LastEpoch - 1, totalIters, "PolynomialLR.Step", "(last_epoch - 1) / total_iters", "Check total_iters (>= 1) and power.");
        double decay = PyMath.Pow(PyMath.Div(now, before, "PolynomialLR.Step", "PolynomialLR's decay factor", "Check total_iters (>= 1) and power."), power, "PolynomialLR.Step", "PolynomialLR's decay factor", "Check total_iters (>= 1) and power.");
        return Optimizer.ParamGroups.Select(g => g.Lr * decay).ToList();
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double>? GetClosedFormLr()
    {
        double left = 1.0 - PyMath.Div(Math.Min(totalIters, LastEpoch), totalIters, "PolynomialLR.Step", "min(total_iters, last_epoch) / total_iters", "Check total_iters (>= 1) and power.");
        double factor = PyMath.Pow(left, power, "PolynomialLR.Step", "PolynomialLR's closed form (1 - min(total_iters, last_epoch) / total_iters) ** power", "Check total_iters (>= 1) and power.");
        return BaseLrs.Select(b => b * factor).ToList();
    }

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() =>
    [
        new("total_iters", () => (long)totalIters, v => totalIters = StateValues.Int(v, "total_iters")),
        new("power", () => power, v => power = StateValues.Double(v, "power")),
        .. BaseFields(),
    ];
}
