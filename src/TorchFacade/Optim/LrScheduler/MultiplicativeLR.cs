namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>MultiplicativeLR</c>: each step multiplies each group's current learning rate by <c>lrLambda(epoch)</c>.
/// </summary>
public sealed class MultiplicativeLR : LRScheduler
{
    private readonly List<Func<int, double>> lrLambdas;

    /// <summary>One factor function for every group.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="lrLambda">The factor applied at each epoch (PyTorch's <c>lr_lambda</c>).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public MultiplicativeLR(Optimizer optimizer, Func<int, double> lrLambda, int lastEpoch = -1)
        : this(optimizer, LambdaLR.Repeat(optimizer, lrLambda), lastEpoch)
    {
    }

    /// <summary>One factor function per group.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="lrLambda">One function per parameter group.</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="ArgumentException">The list's length is not the number of groups.</exception>
    public MultiplicativeLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> lrLambda, int lastEpoch = -1)
        : base(optimizer)
    {
        lrLambdas = LambdaLR.Check(optimizer, lrLambda, nameof(MultiplicativeLR));
        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr() =>
        LastEpoch > 0
            ? lrLambdas.Zip(Optimizer.ParamGroups, (lambda, group) => group.Lr * lambda(LastEpoch)).ToList()
            : Optimizer.ParamGroups.Select(g => g.Lr).ToList();

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() => [.. BaseFields(), LambdaLR.LambdaField(lrLambdas.Count)];
}
