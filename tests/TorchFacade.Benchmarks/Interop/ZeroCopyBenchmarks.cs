using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace TorchFacade.Benchmarks.Interop;

/// <summary>
/// <c>torch.from_numpy</c> / <c>x.numpy()</c> are constant time (they alias memory); <c>torch.tensor</c> / <c>.copy()</c>
/// are linear. 100 MB of float32 (26,214,400 elements).
/// Run: <c>cd tests/TorchFacade.Benchmarks &amp;&amp; dotnet run -c Release -- --filter '*ZeroCopyBenchmarks*'</c>
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class ZeroCopyBenchmarks
{
    private const int Elements = 100 * 1024 * 1024 / sizeof(float);
    private float[] array = [];
    private torch.Tensor tensor = null!;

    [GlobalSetup]
    public void Setup()
    {
        array = new float[Elements];
        new Random(1).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(array.AsSpan()));
        tensor = torch.rand(Elements);
    }

    [GlobalCleanup]
    public void Cleanup() => tensor.Dispose();

    [Benchmark(Description = "Torch.FromArray 100 MB (zero-copy)")]
    public long FromArray()
    {
        using torch.Tensor t = Torch.FromArray(array);
        return t.numel();
    }

    [Benchmark(Description = "Torch.Tensor 100 MB (copy)")]
    public long TensorCopy()
    {
        using torch.Tensor t = Torch.Tensor(array);
        return t.numel();
    }

    [Benchmark(Description = "TorchSharp torch.tensor(float[]) 100 MB (copy)")]
    public long TorchSharpTensor()
    {
        using torch.Tensor t = torch.tensor(array);
        return t.numel();
    }

    [Benchmark(Description = "AsSpan 100 MB (zero-copy)")]
    public int AsSpan() => tensor.AsSpan<float>().Length;

    [Benchmark(Description = "ToArray 100 MB (copy)")]
    public int ToArray() => tensor.ToArray<float>().Length;
}
