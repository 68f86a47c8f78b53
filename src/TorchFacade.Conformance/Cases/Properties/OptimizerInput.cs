using TorchFacade.Conformance.Cases.Optimizers;

namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>One drawn input of an optimizer property: the options, the problem (parameter shapes, which parameter has no grad), steps and dtype.</summary>
/// <param name="Spec">The optimizer and its options.</param>
/// <param name="Shapes">The parameter shapes.</param>
/// <param name="Frozen">The parameter that never gets a grad (-1: none).</param>
/// <param name="Intermittent">The parameter whose grad is None on steps 1, 5, 9, ... (-1: none).</param>
/// <param name="Steps">How many steps.</param>
/// <param name="DataSeed">The seed of the problem's values, curvatures, centers and noise.</param>
/// <param name="DType">float32 or float64.</param>
internal sealed record OptimizerInput(OptimizerSpec Spec, long[][] Shapes, int Frozen, int Intermittent, int Steps, int DataSeed, torch.ScalarType DType)
{
    /// <summary>The problem this input describes.</summary>
    /// <returns>A fresh problem.</returns>
    public OptimizerProblem Problem() => new(DataSeed, Steps, Shapes, Frozen, Intermittent);
}
