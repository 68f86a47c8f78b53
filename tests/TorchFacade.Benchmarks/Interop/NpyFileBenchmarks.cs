using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace TorchFacade.Benchmarks.Interop;

/// <summary>
/// <c>Npy.Load</c> / <c>Npy.Save</c> of 100 MB float32 next to a plain <see cref="FileStream"/> read / write of the same
/// number of bytes (the baselines), and the memory-mapped load (constant time).
/// Run: <c>cd tests/TorchFacade.Benchmarks &amp;&amp; dotnet run -c Release -- --filter '*NpyFileBenchmarks*'</c>
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 5)]
public class NpyFileBenchmarks
{
    private const int Bytes = 100 * 1024 * 1024;
    private string folder = string.Empty;
    private string npyPath = string.Empty;
    private string rawPath = string.Empty;
    private string writePath = string.Empty;
    private torch.Tensor tensor = null!;
    private byte[] bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "torchfacade-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        npyPath = Path.Combine(folder, "x.npy");
        rawPath = Path.Combine(folder, "x.bin");
        writePath = Path.Combine(folder, "out");
        tensor = torch.rand(Bytes / sizeof(float));
        Npy.Save(npyPath, tensor);
        bytes = new byte[Bytes];
        tensor.AsReadOnlySpan<float>().CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan()));
        File.WriteAllBytes(rawPath, bytes);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        tensor.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "FileStream read 100 MB into a new byte[]")]
    public int FileStreamRead()
    {
        byte[] target = GC.AllocateUninitializedArray<byte>(Bytes);
        using var fs = new FileStream(rawPath, FileMode.Open, FileAccess.Read);
        fs.ReadExactly(target);
        return target.Length;
    }

    [Benchmark(Description = "Npy.Load 100 MB float32")]
    public long NpyLoad()
    {
        using torch.Tensor t = Npy.Load(npyPath);
        return t.numel();
    }

    [Benchmark(Description = "Npy.Load(memoryMap: true) 100 MB float32")]
    public long NpyLoadMapped()
    {
        using torch.Tensor t = Npy.Load(npyPath, memoryMap: true);
        return t.numel();
    }

    [Benchmark(Description = "FileStream write 100 MB")]
    public long FileStreamWrite()
    {
        using var fs = new FileStream(writePath, FileMode.Create, FileAccess.Write);
        fs.Write(bytes);
        return fs.Length;
    }

    [Benchmark(Description = "Npy.Save 100 MB float32")]
    public long NpySave()
    {
        Npy.Save(writePath, tensor);
        return new FileInfo(writePath).Length;
    }
}
