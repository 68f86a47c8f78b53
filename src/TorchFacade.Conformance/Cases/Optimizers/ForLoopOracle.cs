namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// A for-loop double oracle of optimizer update rules (<see cref="OptimizerOracle"/>, <see cref="LoopOracle"/>), as
/// <see cref="OptimizerTrajectory.CompareWithOracle(OptimizerProblem, ForLoopOracle, torch.ScalarType, torch.Device, Func{torch.Tensor[], TorchFacade.Optim.Optimizer}, Tolerance, int)"/>
/// drives it: one step over plain arrays, the state by PyTorch's names, and a way to load the optimizer's own state
/// before a step (to check lower precisions one step at a time).
/// </summary>
internal abstract class ForLoopOracle
{
    /// <summary>The buffers of each parameter that has state, by PyTorch's names (<c>step</c> left out).</summary>
    protected Dictionary<int, Dictionary<string, double[]>> States { get; } = [];

    /// <summary>The step count of each parameter that has stepped (PyTorch's <c>state["step"]</c>).</summary>
    protected Dictionary<int, long> StepCounts { get; } = [];

    /// <summary>The state of parameter <paramref name="index"/> by PyTorch's names, <c>step</c> left out.</summary>
    /// <param name="index">Parameter index.</param>
    /// <returns>The buffers, or <see langword="null"/> when the parameter has no state yet.</returns>
    public IReadOnlyDictionary<string, double[]>? StateOf(int index) => States.TryGetValue(index, out var s) ? s : null;

    /// <summary>The step count of parameter <paramref name="index"/> (PyTorch's <c>state["step"]</c>).</summary>
    /// <param name="index">Parameter index.</param>
    /// <returns>The count (0 when never stepped).</returns>
    public long StepOf(int index) => StepCounts.TryGetValue(index, out long t) ? t : 0;

    /// <summary>Replaces the state of one parameter (to check a single step from a given state).</summary>
    /// <param name="index">Parameter index.</param>
    /// <param name="step">Its step count.</param>
    /// <param name="buffers">Its buffers by PyTorch's names (copied).</param>
    public void SetState(int index, long step, IReadOnlyDictionary<string, double[]> buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        StepCounts[index] = step;
        States[index] = buffers.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>One step over every parameter (updated in place).</summary>
    /// <param name="parameters">Parameter values.</param>
    /// <param name="grads">Gradients; <see langword="null"/> entries are skipped (no state created or advanced).</param>
    public abstract void Step(IReadOnlyList<double[]> parameters, IReadOnlyList<double[]?> grads);
}
