using System.Diagnostics;
using FluentAssertions;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace TorchFacade.Tests.Interop;

/// <summary>
/// Many FromArray tensors and views while another thread forces compacting collections: the data never moves under
/// LibTorch, and every pin is released once the tensors are gone.
/// </summary>
[Collection(PinCountCollection.Name)]
public class PinStressTests(ITestOutputHelper output)
{
    [Fact]
    public void FromArrayTensorsSurviveCompactingCollectionsAndReleaseEveryPin()
    {
        long before = PinnedMemory.LiveCount;
        using var stop = new CancellationTokenSource();
        int collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Garbage to move around, then a blocking compacting gen-2 collection.
                for (int i = 0; i < 50; i++)
                {
                    _ = new byte[1024 * (1 + (i % 7))];
                }

                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                Interlocked.Increment(ref collections);

                // Let the tensor thread run between collections: back-to-back blocking GCs can starve a thread that is
                // returning from native code (LibTorch's deleter callback) on a 2-core machine indefinitely.
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        collector.Start();

        var random = new Random(5);
        var timer = Stopwatch.StartNew();
        int iterations = 0;
        var survivors = new List<(float[] Array, torch.Tensor View, int Offset)>();
        try
        {
            for (; iterations < 3000; iterations++)
            {
                int n = 16 + random.Next(2048);
                var data = new float[n];
                for (int i = 0; i < n; i++)
                {
                    data[i] = (iterations * 10_000) + i;
                }

                _ = new object[random.Next(64)]; // interleave other allocations so the array has neighbours to move with
                using torch.Tensor t = Torch.FromArray(data);
                int offset = random.Next(n / 2);
                torch.Tensor view = t.narrow(0, offset, n / 4);

                // Both directions, every iteration.
                using (torch.Tensor sum = t.sum(torch.ScalarType.Float64))
                {
                    sum.item<double>().Should().Be(data.Sum(x => (double)x));
                }

                data[offset] = -1;
                view.AsReadOnlySpan<float>()[0].Should().Be(-1);
                view.AsSpan<float>()[1] = -2;
                data[offset + 1].Should().Be(-2);

                // Keep some views alive past their base tensor, and check them later.
                if (iterations % 10 == 0)
                {
                    survivors.Add((data, view, offset));
                }
                else
                {
                    view.Dispose();
                }
            }

            foreach ((float[] array, torch.Tensor view, int offset) in survivors)
            {
                float[] seen = view.ToArray<float>();
                seen.Should().Equal(array.Skip(offset).Take(seen.Length));
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
            foreach ((_, torch.Tensor view, _) in survivors)
            {
                view.Dispose();
            }
        }

        output.WriteLine($"{iterations} iterations, {collections} compacting collections, {timer.Elapsed.TotalSeconds:F1} s");
        collections.Should().BeGreaterThan(10);
        PinnedMemory.LiveCount.Should().Be(before, "every pin is released when its last tensor is disposed");
    }

    [Fact]
    public void UndisposedTensorsReleaseTheirPinsWhenFinalized()
    {
        long before = PinnedMemory.LiveCount;
        MakeGarbage();
        for (int i = 0; i < 10 && PinnedMemory.LiveCount != before; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        PinnedMemory.LiveCount.Should().Be(before);

        static void MakeGarbage()
        {
            for (int i = 0; i < 100; i++)
            {
                _ = Torch.FromArray(new int[100], 10, 10).narrow(0, 1, 2);
            }
        }
    }
}
