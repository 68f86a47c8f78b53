using TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// The optimizers group: for every configuration of <see cref="OptimizerGrid"/>, dtype and device — the reference
/// optimizer vs TorchSharp's built-in (where TorchSharp is known to differ from PyTorch, the case pins that divergence and
/// checks the facade's wrapper instead), the reference vs the double oracle, and the reference's in-place tensor-op path
/// vs the oracle. Parameters and state are compared after every one of 100 steps.
/// </summary>
internal sealed class OptimizerCases : ICaseSource
{
    private const int Seed = 1234;

    /// <summary>
    /// float32 trajectories: LibTorch's kernels contract some multiply-adds into FMAs where the fused C# pass does not
    /// (and vice versa), 1–2 ULP per step, compounded over 100 steps (rtol 1e-5). The absolute
    /// part is assert_close's float32 default (1e-5): momentum buffers are sums of O(1) terms of both signs, so an element
    /// near zero carries the rounding of its O(1) summands (observed: 3.8e-6 on a 0.125 RMSprop buffer built from terms ≈ 1).
    /// </summary>
    public static readonly Tolerance Float32Trajectory = new(1e-5, 1e-5, "float32 over 100 steps: 1–2 ULP per step from FMA contraction and operation order; atol = assert_close's float32 default, for buffers summing O(1) terms of both signs");

    /// <summary>float64 trajectories against TorchSharp: the same operation order, only FMA contraction differs.</summary>
    public static readonly Tolerance Float64Trajectory = new(1e-12, 1e-14, "float64, same operation order as LibTorch; FMA contraction differs by 1 ULP per step");

    /// <summary>float64 trajectories against the oracle, which uses the textbook form (m̂ = m/bc1, v̂ = v/bc2, no FMA).</summary>
    public static readonly Tolerance Float64Oracle = new(1e-10, 1e-12, "float64 vs the oracle's textbook form of the same update (bias corrections applied to m and v instead of folded into the step; no FMA) over 100 steps");

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (OptimizerSpec spec in OptimizerGrid.All)
        {
            foreach (torch.ScalarType dtype in new[] { torch.ScalarType.Float32, torch.ScalarType.Float64 })
            {
                foreach (string device in ConformanceDevices.All)
                {
                    string id = $"optimizer/{spec.Name}/{spec.Label}/{DTypeNames.Of(dtype)}/{device}";
                    Tolerance trajectory = dtype == torch.ScalarType.Float64 ? Float64Trajectory : Float32Trajectory;
                    Tolerance oracle = dtype == torch.ScalarType.Float64 ? Float64Oracle : Float32Trajectory;
                    yield return CaseKit.Make(CaseGroup.Optimizers, id, device, $"The reference {spec.Name} ({spec.Label}) computes what TorchSharp's built-in computes, parameters and state after each of 100 steps (where TorchSharp diverges from PyTorch, Divergences/known-divergences.json lists the case: xfail).", "reference vs TorchSharp built-in", () => VersusTorchSharp(spec, dtype, device, trajectory), dtype, trajectory);
                    if (spec.Maximize)
                    {
                        yield return CaseKit.Make(CaseGroup.Optimizers, id + "/facade-built-in", device, $"The facade's wrapper over TorchSharp's {spec.Name} ({spec.Label}) computes what the reference (PyTorch's rule) computes, parameters and state after each of 100 steps: it works around TorchSharp's maximize.", "facade's built-in wrapper vs reference", () => OptimizerTrajectory.CompareOptimizers(new OptimizerProblem(Seed, OptimizerTrajectory.DefaultSteps), dtype, ConformanceDevices.Of(device), spec.CreateReference, spec.CreateFacadeBuiltIn, trajectory), dtype, trajectory);
                    }

                    yield return CaseKit.Make(CaseGroup.Optimizers, id + "/oracle", device, $"The reference {spec.Name} ({spec.Label}) computes PyTorch 2.x's update rule, written out in double.", "reference vs scalar oracle (double)", () => OptimizerTrajectory.CompareWithOracle(new OptimizerProblem(Seed, OptimizerTrajectory.DefaultSteps), spec, dtype, ConformanceDevices.Of(device), spec.CreateReference, oracle), dtype, oracle);
                    yield return CaseKit.Make(CaseGroup.Optimizers, id + "/tensor-ops", device, $"The reference {spec.Name} ({spec.Label}) as in-place tensor ops (the path that runs off the CPU) computes PyTorch 2.x's update rule.", "reference (tensor ops) vs scalar oracle (double)", () => OptimizerTrajectory.CompareWithOracle(new OptimizerProblem(Seed, OptimizerTrajectory.DefaultSteps), spec, dtype, ConformanceDevices.Of(device), ps => TensorOps(spec.CreateReference(ps)), oracle), dtype, oracle);
                }
            }
        }
    }

    private static ReferenceOptimizer TensorOps(ReferenceOptimizer optimizer)
    {
        optimizer.Path = UpdatePath.TensorOps;
        return optimizer;
    }

    private static CaseResult VersusTorchSharp(OptimizerSpec spec, torch.ScalarType dtype, string device, Tolerance tolerance)
    {
        if (!spec.TorchSharpHasOptions)
        {
            return CaseResult.Fail($"TorchSharp's {spec.Name} has no option of this configuration ({spec.Label})");
        }

        var problem = new OptimizerProblem(Seed, OptimizerTrajectory.DefaultSteps);
        return OptimizerTrajectory.CompareOptimizers(problem, dtype, ConformanceDevices.Of(device), spec.CreateReference, ps => spec.CreateTorchSharp(ps)!, tolerance);
    }
}
