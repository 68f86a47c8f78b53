namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// A for-loop double oracle of an optimizer's update rule, as <see cref="OptimizerTrajectory.CompareWithOracle(OptimizerProblem, IOptimizerOracle, torch.ScalarType, torch.Device, Func{torch.Tensor[], TorchFacade.Optim.Optimizer}, Tolerance, int)"/>
/// drives it: one step over plain arrays, the state by PyTorch's names, and a way to load the optimizer's own state
/// before a step (to check lower precisions one step at a time).
/// </summary>
internal interface IOptimizerOracle
{
    /// <summary>One step over every parameter (updated in place).</summary>
    /// <param name="parameters">Parameter values.</param>
    /// <param name="grads">Gradients; <see langword="null"/> entries are skipped (no state created or advanced).</param>
    void Step(IReadOnlyList<double[]> parameters, IReadOnlyList<double[]?> grads);

    /// <summary>The state of parameter <paramref name="index"/> by PyTorch's names, <c>step</c> left out.</summary>
    /// <param name="index">Parameter index.</param>
    /// <returns>The buffers, or <see langword="null"/> when the parameter has no state yet.</returns>
    IReadOnlyDictionary<string, double[]>? StateOf(int index);

    /// <summary>The step count of parameter <paramref name="index"/> (PyTorch's <c>state["step"]</c>).</summary>
    /// <param name="index">Parameter index.</param>
    /// <returns>The count (0 when never stepped).</returns>
    long StepOf(int index);

    /// <summary>Replaces the state of one parameter (to check a single step from a given state).</summary>
    /// <param name="index">Parameter index.</param>
    /// <param name="step">Its step count.</param>
    /// <param name="buffers">Its buffers by PyTorch's names (copied).</param>
    void SetState(int index, long step, IReadOnlyDictionary<string, double[]> buffers);
}
