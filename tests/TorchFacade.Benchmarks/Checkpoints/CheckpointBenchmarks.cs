using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace TorchFacade.Benchmarks.Checkpoints;

/// <summary>
/// Loading and saving a 512 MiB checkpoint (eight 64 MiB float32 tensors) in both formats, next to the raw baselines: an
/// unbuffered read of the same file into an existing buffer, and an unbuffered write of the same bytes; memory-mapped
/// loads (constant time); and TorchSharp.PyBridge's <c>Safetensors.LoadStateDict</c> / <c>PyTorchUnpickler.UnpickleStateDict</c>
/// on the same files. The files are written in the setup and deleted in the cleanup.
/// Run: <c>./build.sh bench --filter '*CheckpointBenchmarks*' --job short</c>
/// </summary>
public class CheckpointBenchmarks
{
    private const int Tensors = 8;
    private const int Elements = 16 * 1024 * 1024;
    private string folder = string.Empty;
    private string safetensorsPath = string.Empty;
    private string torchPath = string.Empty;
    private string writePath = string.Empty;
    private Dictionary<string, torch.Tensor> state = [];
    private byte[] buffer = [];

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "torchfacade-bench-checkpoints-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        safetensorsPath = Path.Combine(folder, "model.safetensors");
        torchPath = Path.Combine(folder, "model.pt");
        writePath = Path.Combine(folder, "out");
        for (int i = 0; i < Tensors; i++)
        {
            state[$"layer{i}.weight"] = torch.rand(Elements);
        }

        Safetensors.Save(safetensorsPath, state);
        Torch.Save(state, torchPath);
        buffer = GC.AllocateUninitializedArray<byte>((int)new FileInfo(safetensorsPath).Length, pinned: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (torch.Tensor t in state.Values)
        {
            t.Dispose();
        }

        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The read baseline: the whole safetensors file into an existing buffer.</summary>
    [Benchmark(Baseline = true)]
    public long RawFileRead()
    {
        using SafeFileHandle handle = File.OpenHandle(safetensorsPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long done = 0;
        while (done < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan((int)done, (int)Math.Min(1 << 26, buffer.Length - done)), done);
            done += n;
        }

        return done;
    }

    /// <summary><c>Safetensors.Load</c> (copying).</summary>
    [Benchmark]
    public long SafetensorsLoad() => DisposeAll(Safetensors.Load(safetensorsPath));

    /// <summary><c>Safetensors.Load(memoryMap: true)</c>.</summary>
    [Benchmark]
    public long SafetensorsLoadMemoryMapped() => DisposeAll(Safetensors.Load(safetensorsPath, memoryMap: true));

    /// <summary><c>Torch.Load</c> (copying; storages unchecked, as in PyTorch, data.pkl CRC-32 checked).</summary>
    [Benchmark]
    public long TorchLoad() => DisposeAll((IReadOnlyDictionary<string, object?>)Torch.Load(torchPath)!);

    /// <summary><c>Torch.Load(memoryMap: true)</c>.</summary>
    [Benchmark]
    public long TorchLoadMemoryMapped() => DisposeAll((IReadOnlyDictionary<string, object?>)Torch.Load(torchPath, memoryMap: true)!);

    /// <summary>TorchSharp.PyBridge's safetensors reader on the same file.</summary>
    [Benchmark]
    public long PyBridgeLoadSafetensors() => DisposeAll(TorchSharp.PyBridge.Safetensors.LoadStateDict(safetensorsPath));

    /// <summary>TorchSharp.PyBridge's torch.save reader on the same file.</summary>
    [Benchmark]
    public long PyBridgeLoadPy()
    {
        System.Collections.Hashtable table = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(torchPath);
        long n = 0;
        foreach (object? v in table.Values)
        {
            if (v is torch.Tensor t)
            {
                n += t.numel();
                t.Dispose();
            }
        }

        return n;
    }

    /// <summary>The write baseline: the same number of bytes as the safetensors file, unbuffered.</summary>
    [Benchmark]
    public long RawFileWrite()
    {
        using (var stream = new FileStream(writePath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            stream.Write(buffer);
        }

        File.Delete(writePath);
        return buffer.Length;
    }

    /// <summary><c>Safetensors.Save</c>.</summary>
    [Benchmark]
    public long SafetensorsSave()
    {
        Safetensors.Save(writePath, state);
        File.Delete(writePath);
        return state.Count;
    }

    /// <summary><c>Torch.Save</c> (CRC-32 computed while writing).</summary>
    [Benchmark]
    public long TorchSave()
    {
        Torch.Save(state, writePath);
        File.Delete(writePath);
        return state.Count;
    }

    private static long DisposeAll<T>(IEnumerable<KeyValuePair<string, T>> tensors)
    {
        long n = 0;
        foreach ((_, T value) in tensors)
        {
            if (value is torch.Tensor t)
            {
                n += t.numel();
                t.Dispose();
            }
        }

        return n;
    }
}
