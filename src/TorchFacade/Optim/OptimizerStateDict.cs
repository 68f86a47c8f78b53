using TorchSharp;

namespace TorchFacade.Optim;

/// <summary>
/// An optimizer's state in the shape of PyTorch's <c>optimizer.state_dict()</c>: per-parameter state by the parameter's
/// index (counted over all groups in order) and each group's options with <c>"params"</c> as the list of indices.
/// <see cref="Optimizer.StateDict"/> fills it with copies, so later steps do not change it; <see cref="Optimizer.LoadStateDict"/>
/// copies the values back, so one state dict can be loaded more than once.
/// </summary>
public sealed class OptimizerStateDict
{
    /// <summary>Per-parameter state, e.g. <c>State[0]["exp_avg"]</c>; a parameter without state (never stepped) has no entry.
    /// The step count is stored as a 0-d float32 tensor under <c>"step"</c>, as PyTorch's Python optimizers do.</summary>
    public required IReadOnlyDictionary<int, IReadOnlyDictionary<string, torch.Tensor>> State { get; init; }

    /// <summary>Each group's options by PyTorch's key, plus <c>"params"</c>: the <see cref="int"/>[] of its parameter indices.</summary>
    public required IReadOnlyList<IReadOnlyDictionary<string, object>> ParamGroups { get; init; }
}
