namespace TorchFacade.Conformance;

/// <summary>
/// The seed notes' interop claims as conformance cases: <c>torch.from_numpy(b)</c> and <c>a.numpy()</c> share memory
/// with the array ("change one and the other changes"), <c>torch.tensor()</c> copies; plus the <c>.npy</c>/<c>.npz</c>
/// round trips. Generated for every device: on CUDA the claims become PyTorch's CUDA behaviour (moving to the GPU
/// copies; <c>.numpy()</c> of a CUDA tensor is refused).
/// </summary>
internal sealed class InteropSemantics : ICaseSource
{
    private const string Group = "semantics/interop";

    /// <inheritdoc/>
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            yield return Case(device, "from-numpy-shares-memory",
                device == "cpu"
                    ? "torch.from_numpy(b) shares memory with b: writing to the array changes the tensor and writing to the tensor changes the array (Torch.FromArray)"
                    : "torch.from_numpy(b).to('cuda') copies: the CUDA tensor does not see later writes to the array",
                () => FromNumpySharesMemory(device));
            yield return Case(device, "tensor-copies",
                "torch.tensor(b) copies: later writes to the array do not change the tensor and writes to the tensor do not change the array (Torch.Tensor)",
                () => TensorCopies(device));
            yield return Case(device, "numpy-shares-memory",
                device == "cpu"
                    ? "a.numpy() shares memory with a: writing through the array view changes the tensor, and in-place tensor ops show in the view (AsSpan)"
                    : "a.numpy() of a CUDA tensor is refused (PyTorch raises TypeError); a.cpu().numpy() / ToArray copies the values back",
                () => NumpySharesMemory(device));
            yield return Case(device, "view-keeps-array-alive",
                "a view of a from_numpy tensor keeps the array's memory alive after the base tensor is gone",
                () => ViewKeepsArrayAlive(device));
            foreach (torch.ScalarType dtype in new[] { torch.ScalarType.Float32, torch.ScalarType.Float64, torch.ScalarType.Float16, torch.ScalarType.Int64, torch.ScalarType.Bool, torch.ScalarType.ComplexFloat64 })
            {
                yield return CaseKit.Make(CaseGroup.Semantics, $"{Group}/npy-round-trip/{DTypeNames.Of(dtype)}/{device}", device, "np.save then np.load returns the same dtype, shape and bits (Npy.Save / Npy.Load, also memory-mapped)", "facade vs PyTorch-documented behaviour (bit-exact)", () => NpyRoundTrip(device, dtype), dtype, Tolerance.Exact("a file round trip must preserve every bit"));
            }

            yield return Case(device, "npz-round-trip",
                "np.savez / np.savez_compressed then np.load returns every array by name with the same bits (Npz.Save / Npz.Load)",
                () => NpzRoundTrip(device));
        }
    }

    private static ConformanceCase Case(string device, string name, string claim, Func<CaseResult> run) => CaseKit.Make(CaseGroup.Semantics, $"{Group}/{name}/{device}", device, claim, "facade vs PyTorch-documented behaviour", run, tolerance: Tolerance.Exact("memory identity and copies are exact"));

    private static CaseResult FromNumpySharesMemory(string device)
    {
        float[] b = [1, 2, 3, 4];
        using torch.Tensor a = Torch.FromArray(b, 2, 2);
        if (device == "cpu")
        {
            b[3] = 40;
            float seen = a.ToArray<float>()[3];
            a.mul_(2);
            return CaseResult.Check(seen == 40 && b[0] == 2 && b[3] == 80,
                $"array→tensor saw {seen} (want 40); tensor→array gave b = [{string.Join(", ", b)}] (want [2, 4, 6, 80])");
        }

        using torch.Tensor onDevice = a.to(ConformanceDevices.Of(device));
        b[0] = -1;
        float[] back = onDevice.ToArray<float>();
        return CaseResult.Check(back[0] == 1, $"the {device} tensor saw the array write ({back[0]}); .to(device) must copy");
    }

    private static CaseResult TensorCopies(string device)
    {
        double[] b = [1, 2, 3];
        using torch.Tensor cpu = Torch.Tensor(b);
        using torch.Tensor a = device == "cpu" ? cpu.alias() : cpu.to(ConformanceDevices.Of(device));
        b[0] = 100;
        double first = a.ToArray<double>()[0];
        a.add_(1);
        return CaseResult.Check(first == 1 && b[1] == 2,
            $"tensor saw {first} after the array write (want 1); array is [{string.Join(", ", b)}] after the tensor write (want [100, 2, 3])");
    }

    private static CaseResult NumpySharesMemory(string device)
    {
        using torch.Tensor a = torch.arange(4, dtype: torch.ScalarType.Int64, device: ConformanceDevices.Of(device));
        if (device == "cpu")
        {
            Span<long> b = a.AsSpan<long>();
            b[1] = 10;
            a.add_(1);
            long[] now = a.ToArray<long>();
            return CaseResult.Check(now[1] == 11 && b[3] == 4, $"tensor = [{string.Join(", ", now)}], view[3] = {b[3]} (want [1, 11, 3, 4] and 4)");
        }

        try
        {
            _ = a.AsSpan<long>();
            return CaseResult.Fail("AsSpan on a CUDA tensor returned a span; PyTorch refuses .numpy() on CUDA tensors");
        }
        catch (InvalidOperationException)
        {
            long[] back = a.ToArray<long>();
            return CaseResult.Check(back.SequenceEqual([0L, 1, 2, 3]), $"ToArray gave [{string.Join(", ", back)}] (want [0, 1, 2, 3])");
        }
    }

    private static CaseResult ViewKeepsArrayAlive(string device)
    {
        int[] b = Enumerable.Range(0, 64).ToArray();
        torch.Tensor a = Torch.FromArray(b, 8, 8);
        torch.Tensor view = a.narrow(0, 2, 2);
        a.Dispose();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        b[16] = -16;
        using torch.Tensor onDevice = device == "cpu" ? view.alias() : view.to(ConformanceDevices.Of(device));
        view.Dispose();
        int[] seen = onDevice.ToArray<int>();
        return CaseResult.Check(seen[0] == -16 && seen[^1] == 31, $"the view read [{seen[0]} … {seen[^1]}] (want [-16 … 31])");
    }

    private static CaseResult NpyRoundTrip(string device, torch.ScalarType dtype)
    {
        string path = Path.Combine(Path.GetTempPath(), $"torchfacade-conform-{Guid.NewGuid():N}.npy");
        try
        {
            using torch.Tensor source = Sample(dtype, device);
            Npy.Save(path, source);
            using torch.Tensor loaded = Npy.Load(path);
            using torch.Tensor mapped = Npy.Load(path, memoryMap: true);
            using torch.Tensor expected = source.cpu();
            foreach ((string how, torch.Tensor t) in new[] { ("Npy.Load", loaded), ("Npy.Load(memoryMap: true)", mapped) })
            {
                if (t.dtype != dtype || !t.shape.SequenceEqual(expected.shape))
                {
                    return CaseResult.Fail($"{how} gave {DTypeNames.Of(t.dtype)} [{string.Join(", ", t.shape)}], want {DTypeNames.Of(dtype)} [{string.Join(", ", expected.shape)}]");
                }

                using torch.Tensor a = t.contiguous();
                using torch.Tensor b = expected.contiguous();
                if (!SameBits(a, b))
                {
                    return CaseResult.Fail($"{how} changed the bits of the data");
                }
            }

            return CaseResult.Pass();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static CaseResult NpzRoundTrip(string device)
    {
        string path = Path.Combine(Path.GetTempPath(), $"torchfacade-conform-{Guid.NewGuid():N}.npz");
        try
        {
            var arrays = new Dictionary<string, torch.Tensor>
            {
                ["w"] = Sample(torch.ScalarType.Float32, device),
                ["mask"] = Sample(torch.ScalarType.Bool, device),
                ["step"] = torch.tensor(7L, device: ConformanceDevices.Of(device)),
            };
            foreach (bool compressed in new[] { false, true })
            {
                Npz.Save(path, arrays, compressed);
                IReadOnlyDictionary<string, torch.Tensor> loaded = Npz.Load(path);
                try
                {
                    foreach ((string key, torch.Tensor t) in arrays)
                    {
                        using torch.Tensor want = t.cpu().contiguous();
                        if (!loaded.TryGetValue(key, out torch.Tensor? got) || !got.shape.SequenceEqual(want.shape) || got.dtype != want.dtype)
                        {
                            return CaseResult.Fail($"'{key}' is missing or has the wrong dtype/shape (compressed={compressed})");
                        }

                        using torch.Tensor dense = got.contiguous();
                        if (!SameBits(dense, want))
                        {
                            return CaseResult.Fail($"'{key}' changed bits (compressed={compressed})");
                        }
                    }
                }
                finally
                {
                    foreach (torch.Tensor t in loaded.Values)
                    {
                        t.Dispose();
                    }
                }
            }

            foreach (torch.Tensor t in arrays.Values)
            {
                t.Dispose();
            }

            return CaseResult.Pass();
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Seeded values with edge cases, on the device; transposed so the writer sees a non-contiguous input.</summary>
    private static torch.Tensor Sample(torch.ScalarType dtype, string device)
    {
        var generator = new torch.Generator(1234);
        using torch.Tensor normal = torch.randn(new long[] { 4, 3 }, torch.ScalarType.Float64, generator: generator).mul_(100);
        using (torch.Tensor edges = torch.tensor(new[] { 0.0, -0.0, double.PositiveInfinity }))
        {
            normal[0].copy_(edges);
        }

        using torch.Tensor typed = dtype == torch.ScalarType.ComplexFloat64
            ? torch.complex(normal, normal.neg())
            : dtype == torch.ScalarType.Bool ? normal.gt(0) : normal.to(dtype);
        using torch.Tensor onDevice = typed.to(ConformanceDevices.Of(device));
        return onDevice.t();
    }

    private static unsafe bool SameBits(torch.Tensor a, torch.Tensor b)
    {
        long bytes = a.numel() * a.element_size();
        if (bytes != b.numel() * b.element_size())
        {
            return false;
        }

        return bytes == 0 || new ReadOnlySpan<byte>((void*)a.DataPtr, (int)bytes)
            .SequenceEqual(new ReadOnlySpan<byte>((void*)b.DataPtr, (int)bytes));
    }
}
