using System.Collections.Concurrent;
using FluentAssertions;
using TorchFacade.Reference.Kernels;
using Xunit;

namespace TorchFacade.Reference.Tests.Kernels;

/// <summary>
/// The one driver of the activation and optimizer kernels: it covers <c>[0, count)</c> exactly once in aligned chunks,
/// splits only at or above <see cref="KernelOptions.ParallelThreshold"/>, never uses more chunks than
/// <see cref="KernelOptions.MaxDegreeOfParallelism"/> allows, and carries <see cref="KernelOptions.ScalarOnly"/> from the
/// calling thread to the worker threads.
/// </summary>
[Collection(nameof(KernelOptionsCollection))]
public sealed class KernelLoopTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1000, 4)]
    [InlineData(65_535, 4)]
    [InlineData(65_536, 2)]
    [InlineData(1_000_003, 3)]
    [InlineData(1_000_003, 1)]
    public void ChunksCoverTheRangeOnceAlignedAndWithinTheThreadLimit(int count, int threads)
    {
        int saved = KernelOptions.MaxDegreeOfParallelism;
        var chunks = new ConcurrentBag<(long Start, long End, bool Vectorized)>();
        try
        {
            KernelOptions.MaxDegreeOfParallelism = threads;
            KernelLoop.Run(new Recorder(chunks), count);
        }
        finally
        {
            KernelOptions.MaxDegreeOfParallelism = saved;
        }

        var ordered = chunks.OrderBy(c => c.Start).ToArray();
        ordered.Should().HaveCountLessThanOrEqualTo(threads);
        ordered[0].Start.Should().Be(0);
        ordered[^1].End.Should().Be(count);
        for (int i = 0; i < ordered.Length; i++)
        {
            ordered[i].Vectorized.Should().BeTrue();
            if (i > 0)
            {
                ordered[i].Start.Should().Be(ordered[i - 1].End, "chunks neither overlap nor leave gaps");
                (ordered[i].Start % KernelLoop.ChunkAlignment).Should().Be(0);
            }
        }

        if (count < KernelOptions.ParallelThreshold || threads == 1)
        {
            ordered.Should().ContainSingle("small inputs and one thread run in one call");
        }
        else
        {
            ordered.Length.Should().BeGreaterThan(1);
        }
    }

    [Fact]
    public void ScalarOnlyReachesEveryChunkAndStaysOnItsThread()
    {
        var chunks = new ConcurrentBag<(long Start, long End, bool Vectorized)>();
        int saved = KernelOptions.MaxDegreeOfParallelism;
        KernelOptions.ScalarOnly = true;
        try
        {
            KernelOptions.MaxDegreeOfParallelism = 2;
            KernelLoop.Run(new Recorder(chunks), 1 << 20);
            bool other = true;
            var thread = new Thread(() => other = KernelOptions.ScalarOnly);
            thread.Start();
            thread.Join();
            other.Should().BeFalse("the switch is per thread");
        }
        finally
        {
            KernelOptions.ScalarOnly = false;
            KernelOptions.MaxDegreeOfParallelism = saved;
        }

        chunks.Should().HaveCount(2);
        chunks.Should().OnlyContain(c => !c.Vectorized);
    }

    [Fact]
    public void KernelCallsNestedInAChunkSeeTheCallersOptionsAndAreNotSplitAgain()
    {
        // Softmax's rows run the elementwise exp through the driver again, from the worker threads of the row split.
        var inner = new ConcurrentBag<(long Start, long End, bool Vectorized)>();
        var outer = new ConcurrentBag<(long Start, long End, bool Vectorized)>();
        int saved = KernelOptions.MaxDegreeOfParallelism;
        KernelOptions.ScalarOnly = true;
        try
        {
            KernelOptions.MaxDegreeOfParallelism = 2;
            KernelLoop.Run(new Nested(outer, inner, 1 << 20), 2, KernelOptions.ParallelThreshold);
            KernelOptions.ScalarOnly.Should().BeTrue("the caller's setting is left as it was");
        }
        finally
        {
            KernelOptions.ScalarOnly = false;
            KernelOptions.MaxDegreeOfParallelism = saved;
        }

        outer.Should().HaveCount(2).And.OnlyContain(c => !c.Vectorized);
        inner.Should().HaveCount(2, "each nested call runs in one piece on its worker").And.OnlyContain(c => !c.Vectorized && c.Start == 0 && c.End == 1 << 20);

        // Outside a split call the workers' settings are their own again, and a nested-size call splits as usual.
        var after = new ConcurrentBag<(long Start, long End, bool Vectorized)>();
        Parallel.For(0, 4, _ => KernelOptions.ScalarOnly.Should().BeFalse());
        KernelLoop.Run(new Recorder(after), 1 << 20);
        after.Should().OnlyContain(c => c.Vectorized);
    }

    [Fact]
    public void SoftmaxRowsSplitAcrossThreadsWithScalarOnlyGiveTheBitsOfOneThread()
    {
        const int rows = 8, size = 1 << 14;
        float[] x = Enumerable.Range(0, rows * size).Select(i => (float)(20 * Math.Sin(i * 0.37))).ToArray();
        var layout = ReductionLayout.Of(new long[] { rows, size }, 1);
        var one = new float[x.Length];
        var two = new float[x.Length];
        int saved = KernelOptions.MaxDegreeOfParallelism;
        KernelOptions.ScalarOnly = true;
        try
        {
            KernelOptions.MaxDegreeOfParallelism = 1;
            SoftmaxKernel.Forward<float>(x, one, layout);
            KernelOptions.MaxDegreeOfParallelism = 2;
            SoftmaxKernel.Forward<float>(x, two, layout);
        }
        finally
        {
            KernelOptions.ScalarOnly = false;
            KernelOptions.MaxDegreeOfParallelism = saved;
        }

        two.Should().Equal(one);
    }

    [Fact]
    public void RowKernelsSplitByRowsWhenTheRowsAddUpToTheThreshold()
    {
        var chunks = new ConcurrentBag<(long Start, long End, bool Vectorized)>();
        int saved = KernelOptions.MaxDegreeOfParallelism;
        try
        {
            KernelOptions.MaxDegreeOfParallelism = 2;
            KernelLoop.Run(new Recorder(chunks), 7, KernelOptions.ParallelThreshold / 4);
        }
        finally
        {
            KernelOptions.MaxDegreeOfParallelism = saved;
        }

        chunks.OrderBy(c => c.Start).Select(c => (c.Start, c.End)).Should().Equal((0L, 4L), (4L, 7L));
    }

    private readonly struct Nested(ConcurrentBag<(long Start, long End, bool Vectorized)> outer, ConcurrentBag<(long Start, long End, bool Vectorized)> inner, long innerCount) : IRangeKernel
    {
        public void Run(long start, long end, bool vectorized)
        {
            outer.Add((start, end, vectorized));
            KernelLoop.Run(new Recorder(inner), innerCount);
        }
    }

    private readonly struct Recorder(ConcurrentBag<(long Start, long End, bool Vectorized)> chunks) : IRangeKernel
    {
        public void Run(long start, long end, bool vectorized) => chunks.Add((start, end, vectorized));
    }
}

/// <summary>Tests that change the process-wide <see cref="KernelOptions"/> run one at a time.</summary>
[CollectionDefinition(nameof(KernelOptionsCollection), DisableParallelization = true)]
public sealed class KernelOptionsCollection;
