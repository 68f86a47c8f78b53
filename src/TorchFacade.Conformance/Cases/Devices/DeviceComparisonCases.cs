namespace TorchFacade.Conformance.Cases.Devices;

/// <summary>
/// The devices group: each operation of <see cref="DeviceOps.All"/> run by LibTorch on CUDA and on the CPU with the
/// same inputs (made on the CPU from a seeded generator and copied), forward and gradient, in float32 and float64.
/// Ids: <c>devices/exp/float32/cuda</c> and <c>devices/exp/float32/cuda/backward</c>. Where CUDA is absent the runner
/// reports them as skipped with the reason.
/// </summary>
internal sealed class DeviceComparisonCases : ICaseSource
{
    private const ulong Seed = 20_26_11_23;

    private static readonly torch.ScalarType[] DTypes = [torch.ScalarType.Float32, torch.ScalarType.Float64];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (DeviceOp op in DeviceOps.All)
        {
            foreach (torch.ScalarType dtype in DTypes)
            {
                Tolerance tolerance = op.Widen(Tolerance.For(dtype), dtype);
                string id = $"devices/{op.Name}/{DTypeNames.Of(dtype)}/cuda";
                yield return Make(op, dtype, tolerance, id, backward: false);
                if (op.Differentiable)
                {
                    yield return Make(op, dtype, tolerance, id + "/backward", backward: true);
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="op"/> on <paramref name="device"/> and on the CPU and compares the two (forward, or the
    /// gradients of every input under a seeded upstream gradient). With <paramref name="device"/> = <c>cpu</c> it
    /// compares the CPU with itself, which is how the machinery is tested where there is no GPU.
    /// </summary>
    /// <param name="op">The operation.</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="device">The device under test.</param>
    /// <param name="backward">Compare gradients instead of outputs.</param>
    /// <param name="tolerance">The tolerance.</param>
    /// <returns>The comparison's result.</returns>
    internal static CaseResult CompareWithCpu(DeviceOp op, torch.ScalarType dtype, string device, bool backward, Tolerance tolerance)
    {
        using var generator = new torch.Generator(Seed);
        torch.Tensor[] cpuInputs = op.Inputs(generator, dtype);
        torch.Device target = ConformanceDevices.Of(device);
        if (!backward)
        {
            torch.Tensor expected = op.Apply(cpuInputs);
            torch.Tensor actual = op.Apply(cpuInputs.Select(t => t.to(target)).ToArray());
            return Compare.Close(actual, expected, tolerance, cpuInputs[0], "forward");
        }

        torch.Tensor[] cpuLeaves = cpuInputs.Select(t => t.detach().requires_grad_()).ToArray();
        torch.Tensor[] deviceLeaves = cpuInputs.Select(t => t.detach().to(target).requires_grad_()).ToArray();
        torch.Tensor cpuOut = op.Apply(cpuLeaves);
        torch.Tensor upstream = torch.randn(cpuOut.shape, dtype: torch.ScalarType.Float64, generator: generator).to(dtype);
        cpuOut.backward([upstream]);
        op.Apply(deviceLeaves).backward([upstream.to(target)]);

        CaseResult combined = CaseResult.Pass();
        for (int i = 0; i < cpuLeaves.Length; i++)
        {
            CaseResult r = Compare.Close(deviceLeaves[i].grad!, cpuLeaves[i].grad!, tolerance, cpuInputs[i], $"grad of input {i}");
            if (r.Outcome != CaseOutcome.Passed)
            {
                return r;
            }

            combined = combined.Figures is null || Worse(r.Figures, combined.Figures) ? r : combined;
        }

        return combined;
    }

    private static bool Worse(Figures? a, Figures b) => a is not null && a.MaxRelError > b.MaxRelError;

    private static ConformanceCase Make(DeviceOp op, torch.ScalarType dtype, Tolerance tolerance, string id, bool backward) => CaseKit.Make(CaseGroup.Devices, id, "cuda", op.Claim + (backward ? " (gradients)" : " (outputs)"), "LibTorch CUDA vs LibTorch CPU", () => CompareWithCpu(op, dtype, "cuda", backward, tolerance), dtype, tolerance);
}
