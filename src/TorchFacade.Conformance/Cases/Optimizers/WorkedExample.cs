namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>One worked example.</summary>
/// <param name="Name">Where it comes from (<c>six-steps</c>, <c>d3</c>, ...).</param>
/// <param name="Spec">The optimizer configuration.</param>
/// <param name="Start">The starting x (four elements).</param>
/// <param name="Expected">x after each step, or a single row: x after the last step.</param>
/// <param name="StepCount">The number of steps when only the last is given (else the number of rows).</param>
/// <param name="DType">The dtype.</param>
internal sealed record WorkedExample(string Name, OptimizerSpec Spec, double[] Start, double[][] Expected, int StepCount = 0, torch.ScalarType DType = torch.ScalarType.Float64)
{
    /// <summary>The constructor for per-step expectations in a given dtype.</summary>
    /// <param name="name">Where it comes from.</param>
    /// <param name="spec">The configuration.</param>
    /// <param name="start">The starting x.</param>
    /// <param name="expected">x after each step.</param>
    /// <param name="dtype">The dtype.</param>
    public WorkedExample(string name, OptimizerSpec spec, double[] start, double[][] expected, torch.ScalarType dtype)
        : this(name, spec, start, expected, 0, dtype)
    {
    }

    /// <summary>A tolerance other than the dtype's default for hand values, with its reason.</summary>
    public Tolerance? Tolerance { get; init; }

    /// <summary>The number of steps to run.</summary>
    public int Steps => StepCount > 0 ? StepCount : Expected.Length;
}
