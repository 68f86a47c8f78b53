using System.Text.Json;
using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;

namespace TorchFacade.Conformance.Cases.Schedulers;

/// <summary>
/// Replays one golden scheduler configuration in C# and compares everything PyTorch recorded: the lr and momentum
/// (or beta1) of every group after construction and after every step, <c>GetLastLr()</c>, <c>LastEpoch</c>, the
/// warnings, the state dict in the middle of the run (then resumes a new optimizer and scheduler from PyTorch's own
/// state dict, as a checkpoint would), the final state dict (keys, order, Python types, values), and, for bad
/// arguments, PyTorch's error.
/// </summary>
internal static class SchedulerReplay
{
    /// <summary>The relative tolerance on float64 learning rates: the formulas are PyTorch's, in PyTorch's order, on the same libm.</summary>
    public const double Rtol = 1e-12;

    /// <summary>Runs the record with id <paramref name="id"/> on <paramref name="device"/>.</summary>
    /// <param name="id">The record's id.</param>
    /// <param name="device">The device of the optimizer's parameters.</param>
    /// <returns>The differences (empty when everything matched) and the error figures.</returns>
    public static (List<string> Diffs, ErrorStats Stats) Run(string id, torch.Device device) => Run(SchedulerGoldenFile.Case(id), device);

    /// <summary>Runs one record.</summary>
    /// <param name="record">The record.</param>
    /// <param name="device">The device of the optimizer's parameters.</param>
    /// <returns>The differences (empty when everything matched) and the error figures.</returns>
    public static (List<string> Diffs, ErrorStats Stats) Run(JsonElement record, torch.Device device)
    {
        var diffs = new List<string>();
        var stats = new ErrorStats();
        JsonElement cfg = record.GetProperty("config");
        JsonElement? error = record.TryGetProperty("error", out JsonElement err) ? err : null;
        var warnings = new List<string>();
        Optimizer opt;
        LRScheduler sched;
        using var scope = torch.NewDisposeScope();
        try
        {
            opt = SchedulerFactory.Optimizer(cfg, device);
            sched = SchedulerFactory.Scheduler(cfg.GetProperty("scheduler"), opt);
        }
        catch (Exception ex) when (error is { } e && e.GetProperty("at").GetString() == "init")
        {
            CheckError(ex, e, diffs);
            return (diffs, stats);
        }

        if (error is { } initError && initError.GetProperty("at").GetString() == "init")
        {
            diffs.Add($"PyTorch raises {initError.GetProperty("type").GetString()}: {initError.GetProperty("message").GetString()} — C# constructed the scheduler");
            return (diffs, stats);
        }

        sched.Warning += (_, e) => warnings.Add(e.Message);
        var trajectory = record.GetProperty("trajectory").EnumerateArray().ToList();
        bool plateau = cfg.GetProperty("scheduler").GetProperty("kind").GetString() == "ReduceLROnPlateau";
        bool schedFirst = cfg.TryGetProperty("sched_first", out JsonElement sf) && sf.GetBoolean();
        int? resumeAt = cfg.TryGetProperty("resume_at", out JsonElement ra) ? ra.GetInt32() : null;
        int steps = cfg.GetProperty("steps").GetInt32();
        CompareSnapshot(opt, sched, trajectory[0], "after construction", diffs, stats);
        for (int i = 0; i < steps; i++)
        {
            if (!(schedFirst && i == 0))
            {
                opt.Step();
            }

            try
            {
                if (plateau)
                {
                    ((ReduceLROnPlateau)sched).Step(cfg.GetProperty("metrics")[i].GetDouble());
                }
                else
                {
                    sched.Step();
                }
            }
            catch (Exception ex)
            {
                if (error is { } e && e.GetProperty("at").GetString() == "step" && e.GetProperty("after").GetInt32() == i)
                {
                    CheckError(ex, e, diffs);
                }
                else
                {
                    diffs.Add($"step {i + 1}: C# raised {ex.GetType().Name}: {ex.Message}");
                }

                break;
            }

            if (error is { } stepError && stepError.GetProperty("at").GetString() == "step" && stepError.GetProperty("after").GetInt32() == i)
            {
                diffs.Add($"step {i + 1}: PyTorch raises {stepError.GetProperty("type").GetString()}: {stepError.GetProperty("message").GetString()} — C# did not");
                break;
            }

            if (schedFirst && i == 0)
            {
                opt.Step();
            }

            CompareSnapshot(opt, sched, trajectory[i + 1], $"after step {i + 1}", diffs, stats);
            if (resumeAt == i + 1)
            {
                object? pyState = StateDictJson.Decode(record.GetProperty("resume_state"));
                StateDictJson.Compare(sched.StateDict(), pyState, $"state_dict() at step {i + 1}", Rtol, diffs, stats);
                opt = SchedulerFactory.Optimizer(cfg, device);
                sched = SchedulerFactory.Scheduler(cfg.GetProperty("scheduler"), opt);
                sched.Warning += (_, e) => warnings.Add(e.Message);
                RestoreGroups(opt, record.GetProperty("resume_groups"));
                sched.LoadStateDict((IReadOnlyDictionary<string, object?>)pyState!);
            }
        }

        if (record.TryGetProperty("state", out JsonElement finalState))
        {
            StateDictJson.Compare(sched.StateDict(), StateDictJson.Decode(finalState), "final state_dict()", Rtol, diffs, stats);
        }

        var expectedWarnings = record.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        if (!warnings.SequenceEqual(expectedWarnings))
        {
            diffs.Add($"warnings: C# emitted [{string.Join(" | ", warnings.Select(Short))}], PyTorch [{string.Join(" | ", expectedWarnings.Select(Short))}]");
        }

        return (diffs, stats);
    }

    /// <summary>The C# exception type PyTorch's Python exception maps to (at construction / at a step).</summary>
    /// <param name="pythonType">PyTorch's exception type name.</param>
    /// <param name="atStep">Whether the error happens in <c>Step</c>.</param>
    /// <returns>The expected C# type.</returns>
    public static Type ExpectedException(string pythonType, bool atStep) => pythonType switch
    {
        "ValueError" or "TypeError" => atStep ? typeof(InvalidOperationException) : typeof(ArgumentException),
        "KeyError" => typeof(KeyNotFoundException),
        "ZeroDivisionError" => typeof(DivideByZeroException),
        "RuntimeError" => typeof(InvalidOperationException),
        _ => typeof(Exception),
    };

    private static void CheckError(Exception ex, JsonElement error, List<string> diffs)
    {
        string type = error.GetProperty("type").GetString()!;
        string message = error.GetProperty("message").GetString()!;
        Type expected = ExpectedException(type, error.GetProperty("at").GetString() == "step");
        if (!expected.IsInstanceOfType(ex))
        {
            diffs.Add($"PyTorch raises {type}; C# raised {ex.GetType().Name} ({ex.Message}), expected {expected.Name}");
        }

        if (!ex.Message.Contains(message, StringComparison.Ordinal))
        {
            diffs.Add($"error message: C# '{ex.Message}', PyTorch '{message}'");
        }
    }

    private static void CompareSnapshot(Optimizer opt, LRScheduler sched, JsonElement snapshot, string when, List<string> diffs, ErrorStats stats)
    {
        var lrs = snapshot[0].EnumerateArray().Select(v => v.GetDouble()).ToList();
        var momentums = snapshot[1].EnumerateArray().Select(v => v.GetDouble()).ToList();
        IReadOnlyList<ParamGroup> groups = opt.ParamGroups;
        IReadOnlyList<double> last = sched.GetLastLr();
        if (groups.Count != lrs.Count || last.Count != lrs.Count)
        {
            diffs.Add($"{when}: {groups.Count} groups / {last.Count} last lrs, PyTorch has {lrs.Count}");
            return;
        }

        bool betas = opt.Defaults.ContainsKey("betas");
        for (int g = 0; g < lrs.Count; g++)
        {
            if (!stats.Add(groups[g].Lr, lrs[g], Rtol))
            {
                diffs.Add($"{when}: group {g} lr {groups[g].Lr:R}, PyTorch {lrs[g]:R}");
            }

            if (!stats.Add(last[g], lrs[g], Rtol))
            {
                diffs.Add($"{when}: GetLastLr()[{g}] {last[g]:R}, PyTorch {lrs[g]:R}");
            }

            double m = betas ? groups[g].GetPair("betas").First : groups[g].Options.ContainsKey("momentum") ? groups[g].GetDouble("momentum") : 0.0;
            if (!stats.Add(m, momentums[g], Rtol))
            {
                diffs.Add($"{when}: group {g} {(betas ? "beta1" : "momentum")} {m:R}, PyTorch {momentums[g]:R}");
            }
        }

        if (snapshot[2].ValueKind == JsonValueKind.Number && snapshot[2].GetInt32() != sched.LastEpoch)
        {
            diffs.Add($"{when}: LastEpoch {sched.LastEpoch}, PyTorch {snapshot[2].GetInt32()}");
        }
    }

    // What opt.load_state_dict(saved) restores in PyTorch: the groups' options, including the scheduler's keys.
    private static void RestoreGroups(Optimizer opt, JsonElement groups)
    {
        int i = 0;
        foreach (JsonElement g in groups.EnumerateArray())
        {
            var options = (IReadOnlyDictionary<string, object?>)StateDictJson.Decode(g)!;
            ParamGroup group = opt.ParamGroups[i++];
            foreach ((string key, object? value) in options)
            {
                if (key == "betas" && value is IReadOnlyList<object?> pair)
                {
                    group["betas"] = ((double)pair[0]!, (double)pair[1]!);
                }
                else if (key is "lr" or "momentum" || ParamGroup.SchedulerKeys.Contains(key))
                {
                    group[key] = (double)value!;
                }
            }
        }
    }

    private static string Short(string warning) => warning.Length > 40 ? warning[..40] + "…" : warning;
}
