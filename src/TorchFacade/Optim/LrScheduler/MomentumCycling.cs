namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// The momentum cycling that <see cref="CyclicLR"/> and <see cref="OneCycleLR"/> share, as PyTorch does it: the
/// group's <c>momentum</c>, or the first of its <c>betas</c> when the optimizer has betas (Adam and its kin).
/// </summary>
internal static class MomentumCycling
{
    /// <summary>Whether the optimizer's groups cycle <c>betas[0]</c> (PyTorch's <c>use_beta1</c>) rather than <c>momentum</c>.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="member">The scheduler being created (<c>CyclicLR</c>, <c>OneCycleLR</c>), for the message.</param>
    /// <returns>True when the optimizer has <c>betas</c>.</returns>
    /// <exception cref="ArgumentException">The optimizer has neither <c>momentum</c> nor <c>betas</c> (PyTorch's message).</exception>
    public static bool UseBeta1(Optimizer optimizer, string member)
    {
        if (!optimizer.Defaults.ContainsKey("momentum") && !optimizer.Defaults.ContainsKey("betas"))
        {
            throw new ArgumentException($"{member}: optimizer must support momentum or beta1 with `cycle_momentum` option enabled; {optimizer.GetType().Name} has neither 'momentum' nor 'betas'. Pass cycleMomentum: false for an optimizer without momentum.");
        }

        return optimizer.Defaults.ContainsKey("betas");
    }

    /// <summary>Starts each group at its <c>max_momentum</c> and stores both bounds in the group, as PyTorch does.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="useBeta1">Whether to set <c>betas[0]</c>.</param>
    /// <param name="maxMomentums">The upper bounds.</param>
    /// <param name="baseMomentums">The lower bounds.</param>
    public static void SetBounds(Optimizer optimizer, bool useBeta1, IReadOnlyList<double> maxMomentums, IReadOnlyList<double> baseMomentums)
    {
        IReadOnlyList<ParamGroup> groups = optimizer.ParamGroups;
        int n = Math.Min(groups.Count, Math.Min(maxMomentums.Count, baseMomentums.Count));
        for (int i = 0; i < n; i++)
        {
            SetOne(groups[i], useBeta1, maxMomentums[i]);
            groups[i]["max_momentum"] = maxMomentums[i];
            groups[i]["base_momentum"] = baseMomentums[i];
        }
    }

    /// <summary>Sets each group's momentum (or beta1), as Python's <c>zip</c>: up to the shorter of the two.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="useBeta1">Whether to set <c>betas[0]</c>.</param>
    /// <param name="momentums">The values.</param>
    public static void Set(Optimizer optimizer, bool useBeta1, IReadOnlyList<double> momentums)
    {
        IReadOnlyList<ParamGroup> groups = optimizer.ParamGroups;
        for (int i = 0; i < Math.Min(groups.Count, momentums.Count); i++)
        {
            SetOne(groups[i], useBeta1, momentums[i]);
        }
    }

    /// <summary>Sets one group's momentum or beta1.</summary>
    /// <param name="group">The group.</param>
    /// <param name="useBeta1">Whether to set <c>betas[0]</c>.</param>
    /// <param name="momentum">The value.</param>
    public static void SetOne(ParamGroup group, bool useBeta1, double momentum)
    {
        if (useBeta1)
        {
            (double _, double beta2) = group.GetPair("betas");
            group["betas"] = (momentum, beta2);
        }
        else
        {
            group["momentum"] = momentum;
        }
    }

    /// <summary>Reads one group's momentum or beta1.</summary>
    /// <param name="group">The group.</param>
    /// <param name="useBeta1">Whether to read <c>betas[0]</c>.</param>
    /// <returns>The value.</returns>
    public static double Get(ParamGroup group, bool useBeta1) =>
        useBeta1 ? group.GetPair("betas").First : group.GetDouble("momentum");
}
