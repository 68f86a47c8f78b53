using FluentAssertions;
using TorchFacade.Conformance;
using TorchFacade.Conformance.Cases.Optimizers;
using TorchFacade.Reference.Optimizers;
using TorchFacade.Reference.Kernels;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>
/// The fused CPU pass (vectorized with a scalar tail, split across cores for large tensors) against the same update in
/// the scalar-only path and as in-place tensor ops, over every length from 1 to 67 (each vector width and tail) and one
/// tensor large enough to be split across cores.
/// </summary>
public class KernelPathTests
{
    public static TheoryData<int> Configs()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < OptimizerGrid.All.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void VectorScalarAndTensorOpPathsAgreeOnEveryTailLength(int config)
    {
        OptimizerSpec spec = OptimizerGrid.All[config];
        foreach (torch.ScalarType dtype in new[] { torch.ScalarType.Float32, torch.ScalarType.Float64 })
        {
            long[] lengths = [.. Enumerable.Range(1, 67).Select(i => (long)i)];
            torch.Tensor[] vector = Make(lengths, dtype);
            torch.Tensor[] scalar = Make(lengths, dtype);
            torch.Tensor[] ops = Make(lengths, dtype);
            using ReferenceOptimizer a = spec.CreateReference(vector);
            using ReferenceOptimizer b = spec.CreateReference(scalar);
            using ReferenceOptimizer c = spec.CreateReference(ops);
            c.Path = UpdatePath.TensorOps;
            for (int step = 0; step < 5; step++)
            {
                using var scope = torch.NewDisposeScope();
                SetGrads(vector, step);
                SetGrads(scalar, step);
                SetGrads(ops, step);
                a.Step();
                KernelOptions.ScalarOnly = true;
                try
                {
                    b.Step();
                }
                finally
                {
                    KernelOptions.ScalarOnly = false;
                }

                c.Step();
            }

            for (int k = 0; k < lengths.Length; k++)
            {
                Compare.ToDoubles(scalar[k]).Should().Equal(Compare.ToDoubles(vector[k]), $"the scalar tail does exactly the vector arithmetic ({spec.Label}, {dtype}, length {lengths[k]})");
                CaseResult r = Compare.Close(ops[k], vector[k], OptimizerCases.Float32Trajectory with { Rtol = dtype == torch.ScalarType.Float64 ? 1e-12 : 1e-6, Atol = dtype == torch.ScalarType.Float64 ? 1e-14 : 1e-6 });
                r.Outcome.Should().Be(CaseOutcome.Passed, $"tensor ops vs fused ({spec.Label}, {dtype}, length {lengths[k]}): {r.Message}");
            }
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.SGD)]
    [InlineData(OptimizerKind.RMSprop)]
    [InlineData(OptimizerKind.Adagrad)]
    public void ParallelChunksGiveTheSameBitsAsOneThread(OptimizerKind kind)
    {
        var spec = new OptimizerSpec(kind) { Lr = 0.01, Momentum = kind is OptimizerKind.SGD or OptimizerKind.RMSprop ? 0.9 : 0, Amsgrad = kind == OptimizerKind.Adam, Centered = kind == OptimizerKind.RMSprop };
        long n = (KernelOptions.ParallelThreshold * 3) + 13;
        torch.Tensor big = torch.linspace(-3, 3, n).requires_grad_(true);
        torch.Tensor[] small = Enumerable.Range(0, 3).Select(i => big.detach()[torch.TensorIndex.Slice(i * n / 3, (i + 1) * n / 3)].clone().requires_grad_(true)).ToArray();
        using ReferenceOptimizer whole = spec.CreateReference([big]);
        using ReferenceOptimizer pieces = spec.CreateReference(small);
        for (int step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            big.grad = torch.sin(big.detach() * (step + 1));
            foreach (torch.Tensor s in small)
            {
                s.grad = torch.sin(s.detach() * (step + 1));
            }

            whole.Step();
            pieces.Step();
        }

        Compare.ToDoubles(torch.cat(small, 0)).Should().Equal(Compare.ToDoubles(big), "each element goes through the same arithmetic whichever chunk it lands in");
    }

    [Fact]
    public void NonContiguousParametersTakeTheTensorOpPathAndStillUpdate()
    {
        torch.Tensor p = torch.arange(12, dtype: torch.ScalarType.Float32).reshape(3, 4).t().requires_grad_(true);
        p.is_contiguous().Should().BeFalse();
        torch.Tensor q = p.detach().contiguous().requires_grad_(true);
        using var a = new Adam([p], lr: 0.1);
        using var b = new Adam([q], lr: 0.1);
        p.grad = torch.ones(4, 3);
        q.grad = torch.ones(4, 3);
        a.Step();
        b.Step();
        Compare.ToDoubles(p).Should().Equal(Compare.ToDoubles(q));
    }

    private static torch.Tensor[] Make(long[] lengths, torch.ScalarType dtype) =>
        lengths.Select(n => torch.linspace(-2, 2, n, dtype: dtype).requires_grad_(true)).ToArray();

    private static void SetGrads(torch.Tensor[] ps, int step)
    {
        foreach (torch.Tensor p in ps)
        {
            p.grad = torch.cos(p.detach() * (step + 1)).add_(0.3 * (step % 2 == 0 ? 1 : -1));
        }
    }
}
