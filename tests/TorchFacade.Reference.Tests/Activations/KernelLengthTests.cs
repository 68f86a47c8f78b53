using System.Numerics;
using FluentAssertions;
using TorchFacade.Conformance.Cases.Activations;
using TorchFacade.Reference.Activations;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;
using Xunit;

namespace TorchFacade.Reference.Tests.Activations;

/// <summary>
/// Every element-wise span kernel over every length 1..300 (so each vector width and scalar tail is hit), float and
/// double, forward and backward, vector and scalar-only paths, against the scalar oracle in double; and the parallel split gives bit-identical
/// results to the serial path.
/// </summary>
[Collection(nameof(Kernels.KernelOptionsCollection))]
public sealed class KernelLengthTests
{
    public static TheoryData<string> Ids => new(ActivationSpecs.All.Select(s => s.Id));

    private static double[] Inputs(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (rng.NextDouble() * 12) - 6).ToArray();
    }

    private static void CheckLengths<T>(ElementwiseActivation module, double rtol, double atol)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 1; n <= 300; n++)
        {
            double[] xd = Inputs(n, n);
            T[] x = xd.Select(T.CreateTruncating).ToArray();
            T[] g = Inputs(n, n + 1000).Select(T.CreateTruncating).ToArray();
            var y = new T[n];
            var dx = new T[n];
            module.KernelForward<T>(x, y);
            module.KernelBackward<T>(g, module.BackwardUsesOutput ? y : x, dx);
            for (int i = 0; i < n; i++)
            {
                double xi = double.CreateTruncating(x[i]);
                double expectedY = module.Value(xi);
                double expectedDx = double.CreateTruncating(g[i]) * module.Derivative(xi);
                double.CreateTruncating(y[i]).Should().BeApproximately(expectedY, atol + (rtol * Math.Abs(expectedY)), $"{module.GetName()} forward, length {n}, element {i}, x = {xi:R}");
                double.CreateTruncating(dx[i]).Should().BeApproximately(expectedDx, atol + (rtol * Math.Abs(expectedDx)), $"{module.GetName()} backward, length {n}, element {i}, x = {xi:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void FloatKernelsMatchTheOracleAtEveryLength(string id) =>
        CheckLengths<float>(ActivationSpecs.Get(id).Create(), 1.3e-6, 1e-5); // assert_close's float32 defaults

    [Theory]
    [MemberData(nameof(Ids))]
    public void DoubleKernelsMatchTheOracleAtEveryLength(string id) =>
        CheckLengths<double>(ActivationSpecs.Get(id).Create(), 1e-7, 1e-7); // assert_close's float64 defaults

    [Theory]
    [MemberData(nameof(Ids))]
    public void ScalarPathsMatchTheOracleAtEveryLength(string id)
    {
        KernelOptions.ScalarOnly = true;
        try
        {
            CheckLengths<float>(ActivationSpecs.Get(id).Create(), 1.3e-6, 1e-5);
            CheckLengths<double>(ActivationSpecs.Get(id).Create(), 1e-7, 1e-7);
        }
        finally
        {
            KernelOptions.ScalarOnly = false;
        }
    }

    [Fact]
    public void ParallelSplitIsBitIdenticalToTheSerialPath()
    {
        const int n = (1 << 17) + 123;
        float[] x = Inputs(n, 3).Select(v => (float)v).ToArray();
        var serial = new float[n];
        var parallel = new float[n];
        int saved = KernelOptions.MaxDegreeOfParallelism;
        try
        {
            KernelOptions.MaxDegreeOfParallelism = 1;
            ElementwiseKernel.Forward<float, GeluTanhOperator>(x, serial, default);
            KernelOptions.MaxDegreeOfParallelism = 4;
            ElementwiseKernel.Forward<float, GeluTanhOperator>(x, parallel, default);
        }
        finally
        {
            KernelOptions.MaxDegreeOfParallelism = saved;
        }

        parallel.Should().Equal(serial);
    }

    [Fact]
    public void ForwardMayRunInPlace()
    {
        float[] x = Inputs(517, 9).Select(v => (float)v).ToArray();
        var expected = new float[x.Length];
        ElementwiseKernel.Forward<float, MishOperator>(x, expected, default);
        ElementwiseKernel.Forward<float, MishOperator>(x, x, default);
        x.Should().Equal(expected);
    }

    [Fact]
    public void SoftmaxRowsOfEveryLengthMatchTheOracle()
    {
        for (int n = 1; n <= 300; n++)
        {
            double[] x = Inputs(n, n + 7);
            var y = new double[n];
            SoftmaxKernel.Forward<double>(x, y, new ReductionLayout(1, n, 1));
            double m = x.Max();
            double s = x.Sum(v => Math.Exp(v - m));
            for (int i = 0; i < n; i++)
            {
                y[i].Should().BeApproximately(Math.Exp(x[i] - m) / s, 1e-15, $"length {n}");
            }
        }
    }

    [Fact]
    public void TanhIsAccurateNearZeroAndSigned()
    {
        // TensorPrimitives.Tanh is thousands of ulp off and returns tanh(0) = -5.96e-8 in its vector path; ours is not.
        float[] x = [0f, -0f, 1e-30f, -1e-30f, 1e-6f, 0.3f, 0.39999f, 0.40001f, 1f, 9f, 20f, -20f, float.PositiveInfinity, float.NegativeInfinity];
        float[] big = Enumerable.Repeat(x, 8).SelectMany(v => v).ToArray();
        var y = new float[big.Length];
        ElementwiseKernel.Forward<float, TanhOperator>(big, y, default);
        for (int i = 0; i < big.Length; i++)
        {
            y[i].Should().Be((float)Math.Tanh(big[i]), $"tanh({big[i]:R})");
        }
    }
}
