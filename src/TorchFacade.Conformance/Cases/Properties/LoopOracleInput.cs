using TorchFacade.Conformance.Cases.Optimizers;
using TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>One drawn input of a <see cref="LoopOracleProperties"/> property: the options, the problem, the steps and the update path.</summary>
/// <param name="Name">The optimizer (one of <see cref="NewerOptimizers.Names"/>).</param>
/// <param name="Options">The options drawn (PyTorch's names, see <see cref="NewerOptimizers"/>; others take PyTorch's defaults).</param>
/// <param name="Shapes">The parameter shapes.</param>
/// <param name="Frozen">The parameter that never gets a grad (-1: none).</param>
/// <param name="Intermittent">The parameter whose grad is None on steps 1, 5, 9, ... (-1: none).</param>
/// <param name="Steps">How many steps.</param>
/// <param name="DataSeed">The seed of the problem's values, curvatures, centers and noise.</param>
/// <param name="Path">The reference optimizer's update path (the fused pass or the tensor-op path).</param>
/// <param name="DType">float32 or float64.</param>
internal sealed record LoopOracleInput(string Name, IReadOnlyDictionary<string, double> Options, long[][] Shapes, int Frozen, int Intermittent, int Steps, int DataSeed, UpdatePath Path, torch.ScalarType DType)
{
    /// <summary>The problem this input describes.</summary>
    /// <returns>A fresh problem.</returns>
    public OptimizerProblem Problem() => new(DataSeed, Steps, Shapes, Frozen, Intermittent);
}
