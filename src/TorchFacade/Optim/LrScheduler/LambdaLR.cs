namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// PyTorch's <c>LambdaLR</c>: each group's learning rate is its initial lr times <c>lrLambda(epoch)</c>.
/// </summary>
/// <example><c>new LambdaLR(optimizer, epoch => Math.Pow(0.95, epoch))</c> is <c>LambdaLR(optimizer, lambda epoch: 0.95 ** epoch)</c>.</example>
public sealed class LambdaLR : LRScheduler
{
    private readonly List<Func<int, double>> lrLambdas;

    /// <summary>One factor function for every group.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="lrLambda">The multiplicative factor of the initial lr at each epoch (PyTorch's <c>lr_lambda</c>).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>: −1 to start, the last epoch's index to resume.</param>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>initial_lr</c>.</exception>
    public LambdaLR(Optimizer optimizer, Func<int, double> lrLambda, int lastEpoch = -1)
        : this(optimizer, Repeat(optimizer, lrLambda), lastEpoch)
    {
    }

    /// <summary>One factor function per group.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="lrLambda">One function per parameter group (PyTorch's list of <c>lr_lambda</c>).</param>
    /// <param name="lastEpoch">PyTorch's <c>last_epoch</c>.</param>
    /// <exception cref="ArgumentException">The list's length is not the number of groups (PyTorch: <c>Expected n lr_lambdas, but got m</c>).</exception>
    public LambdaLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> lrLambda, int lastEpoch = -1)
        : base(optimizer)
    {
        lrLambdas = Check(optimizer, lrLambda);
        Initialize(lastEpoch);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<double> GetLr() =>
        lrLambdas.Zip(BaseLrs, (lambda, baseLr) => baseLr * lambda(LastEpoch)).ToList();

    /// <inheritdoc />
    private protected override IEnumerable<StateField> Fields() => [.. BaseFields(), LambdaField(lrLambdas.Count)];

    /// <summary>The <c>lr_lambdas</c> entry: <c>None</c> per function, as PyTorch saves plain functions and lambdas.</summary>
    /// <param name="count">The number of functions.</param>
    /// <returns>The field.</returns>
    internal static StateField LambdaField(int count) => new(
        "lr_lambdas",
        () => Enumerable.Repeat<object?>(null, count).ToList(),
        v =>
        {
            if (StateValues.Items(v, "lr_lambdas").Any(item => item is not null))
            {
                throw new NotSupportedException("The state dict holds the saved attributes of a callable lr_lambda object (PyTorch saves those, not plain functions); a C# delegate has no such state. Save the PyTorch scheduler with a plain function or lambda.");
            }
        });

    /// <summary>PyTorch's check of a list of lambdas.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="lambdas">The functions.</param>
    /// <param name="member">The scheduler whose constructor checks them.</param>
    /// <returns>A copy.</returns>
    internal static List<Func<int, double>> Check(Optimizer optimizer, IReadOnlyList<Func<int, double>> lambdas, string member = nameof(LambdaLR))
    {
        TensorChecks.ThrowIfNull(optimizer, member);
        TensorChecks.ThrowIfNull(lambdas, member);
        if (lambdas.Count != optimizer.ParamGroups.Count)
        {
            throw new ArgumentException($"{member}: Expected {optimizer.ParamGroups.Count} lr_lambdas, but got {lambdas.Count}. Pass one function per parameter group, or a single function for all.");
        }

        for (int i = 0; i < lambdas.Count; i++)
        {
            TensorChecks.ThrowIfNull(lambdas[i], member, $"lrLambda[{i}]");
        }

        return [.. lambdas];
    }

    /// <summary>One function repeated for every group.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="lambda">The function.</param>
    /// <returns>The list.</returns>
    internal static IReadOnlyList<Func<int, double>> Repeat(Optimizer optimizer, Func<int, double> lambda)
    {
        TensorChecks.ThrowIfNull(optimizer, "MultiplicativeLR");
        TensorChecks.ThrowIfNull(lambda, "MultiplicativeLR");
        return Enumerable.Repeat(lambda, optimizer.ParamGroups.Count).ToList();
    }
}
