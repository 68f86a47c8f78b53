namespace TorchFacade.Conformance.Cases.Schedulers;

/// <summary>
/// The <c>schedulers</c> group: every learning-rate scheduler of <c>TorchFacade.Optim.LrScheduler</c> replays
/// PyTorch 2.6's trajectories from <c>tests/golden/schedulers.json</c> (random configurations over every scheduler
/// and option, several groups, mid-run state-dict resume, bad arguments), on each device.
/// </summary>
internal sealed class SchedulerCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        IReadOnlyList<string> ids = SchedulerGoldenFile.MissingReason is null ? SchedulerGoldenFile.Ids : ["files-present"];
        var tolerance = new Tolerance(SchedulerReplay.Rtol, 0, "float64 learning rates from PyTorch's own formulas in PyTorch's order of operations (same libm cos/pow): equal up to 1e-12 relative");
        foreach (string id in ids)
        {
            foreach (string device in ConformanceDevices.All)
            {
                bool isError = id.StartsWith("error-", StringComparison.Ordinal);
                yield return CaseKit.Make(CaseGroup.Schedulers, $"schedulers/{id}/{device}", device, isError
                    ? "the scheduler refuses the arguments PyTorch refuses, with PyTorch's exception kind and message"
                    : "the scheduler reproduces PyTorch's lr and momentum of every group at every step, its warnings and its state dict (keys, order, types), and resumes from PyTorch's state dict", "C# scheduler vs PyTorch 2.6 run stored by tests/golden/make_sched_golden.py", () =>
                {
                    (List<string> diffs, ErrorStats stats) = SchedulerReplay.Run(id, ConformanceDevices.Of(device));
                    return diffs.Count == 0
                        ? CaseResult.Pass(stats.Count > 0 ? stats.ToFigures() : null)
                        : CaseResult.Fail($"{diffs.Count} differences from PyTorch: {diffs[0]}", stats.ToFigures(), diffs.Take(8).ToList());
                }, TorchSharp.torch.ScalarType.Float64, isError ? null : tolerance, () => SchedulerGoldenFile.MissingReason);
            }
        }
    }
}
