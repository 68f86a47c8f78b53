using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade.Fuzz;

/// <summary>
/// Runs mutants of one reader: in this process (<see cref="RunInProcess"/>, what the CI test does), or in child
/// processes of this program (<see cref="RunInChildren"/>, what <c>./build.sh fuzz</c> does): each child runs mutants
/// in order and prints one line per mutant; when a child dies, the mutant after its last line is counted as a crash,
/// saved to the crash folder, and a new child resumes after it.
/// </summary>
internal static partial class FuzzCampaign
{
    /// <summary>Mutant <paramref name="index"/> of a campaign: the same bytes in every process.</summary>
    public static byte[] MakeMutant(FuzzTarget target, byte[][] seeds, int seed, int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + (target.Id * 7_919) + (index * 104_729)));
        var mutator = new Mutator(random);
        return target.Mutate(mutator, seeds[random.Next(seeds.Length)]);
    }

    /// <summary>Runs one mutant through the reader (odd mutants memory-mapped where the reader can map) and measures it.</summary>
    public static MutantResult RunOne(FuzzTarget target, byte[][] seeds, int seed, int index, string file)
    {
        byte[] input = MakeMutant(target, seeds, seed, index);
        File.WriteAllBytes(file, input);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            object? result = target.Load(file, index % 2 == 1);
            long managed = GC.GetAllocatedBytesForCurrentThread() - before;
            return new MutantResult(index, FuzzOutcome.Loaded, input.Length, managed, DisposeAll(result));
        }
        catch (Exception ex) when (ex.GetType() == target.Expected)
        {
            return new MutantResult(index, FuzzOutcome.Rejected, input.Length, GC.GetAllocatedBytesForCurrentThread() - before, 0);
        }
        catch (Exception ex)
        {
            return new MutantResult(index, FuzzOutcome.OtherException, input.Length, GC.GetAllocatedBytesForCurrentThread() - before, 0, ex.GetType().FullName, ex.Message);
        }
    }

    /// <summary>Mutants <paramref name="from"/> to <paramref name="count"/> − 1 in this process.</summary>
    public static FuzzReport RunInProcess(FuzzTarget target, int seed, int from, int count, Action<MutantResult>? each = null, Action<int>? before = null)
    {
        var report = new FuzzReport(target.Name);
        byte[][] seeds = target.Seeds();
        string folder = Directory.CreateTempSubdirectory("torchfacade-fuzz-").FullName;
        var timer = Stopwatch.StartNew();
        try
        {
            string file = Path.Combine(folder, "mutant" + target.Extension);
            // One unmutated load first, not counted: the reader's one-time initialisation (JIT, static tables) is no mutant's allocation.
            File.WriteAllBytes(file, seeds[0]);
            using (torch.NewDisposeScope())
            {
                DisposeAll(target.Load(file, false));
            }

            for (int i = from; i < count; i++)
            {
                before?.Invoke(i);
                using var scope = torch.NewDisposeScope();
                MutantResult r = RunOne(target, seeds, seed, i, file);
                report.Add(r);
                each?.Invoke(r);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        report.Seconds = timer.Elapsed.TotalSeconds;
        return report;
    }

    /// <summary>Mutants 0 to <paramref name="count"/> − 1 in child processes; crashing mutants are saved under <paramref name="crashFolder"/>.</summary>
    public static FuzzReport RunInChildren(FuzzTarget target, int seed, int count, string crashFolder, TextWriter log)
    {
        var report = new FuzzReport(target.Name);
        var timer = Stopwatch.StartNew();
        int from = 0;
        while (from < count)
        {
            int last = from - 1;
            var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            string host = Environment.ProcessPath ?? "dotnet";
            start.FileName = host;
            if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                start.ArgumentList.Add(typeof(FuzzCampaign).Assembly.Location);
            }

            foreach (string a in new[] { "child", target.Name, seed.ToString(CultureInfo.InvariantCulture), from.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(a);
            }

            using Process child = Process.Start(start) ?? throw new InvalidOperationException("The fuzz child process did not start.");
            var stderr = new Queue<string>();
            child.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (stderr)
                    {
                        stderr.Enqueue(e.Data);
                        if (stderr.Count > 20)
                        {
                            stderr.Dequeue();
                        }
                    }
                }
            };
            child.BeginErrorReadLine();
            for (string? line = child.StandardOutput.ReadLine(); line is not null; line = child.StandardOutput.ReadLine())
            {
                if (MutantResult.Parse(line) is MutantResult r)
                {
                    report.Add(r);
                    last = r.Index;
                    if ((r.Index + 1) % 10_000 == 0)
                    {
                        log.WriteLine($"  {target.Name}: {r.Index + 1:N0} / {count:N0} mutants, {timer.Elapsed.TotalSeconds:F0} s");
                    }
                }
            }

            child.WaitForExit();
            if (child.ExitCode == 0 && last == count - 1)
            {
                break;
            }

            int crashed = last + 1;
            string tail;
            lock (stderr)
            {
                tail = string.Join(" | ", stderr);
            }

            byte[] input = MakeMutant(target, target.Seeds(), seed, crashed);
            Directory.CreateDirectory(crashFolder);
            string saved = Path.Combine(crashFolder, $"{target.Name}-{crashed}{target.Extension}");
            File.WriteAllBytes(saved, input);
            report.Add(new MutantResult(crashed, FuzzOutcome.Crashed, input.Length, 0, 0, null, $"exit code {child.ExitCode}, saved as {saved}; stderr: {tail}"));
            log.WriteLine($"  {target.Name}: mutant {crashed} crashed the child (exit code {child.ExitCode}); saved as {saved}");
            from = crashed + 1;
        }

        report.Seconds = timer.Elapsed.TotalSeconds;
        return report;
    }

    /// <summary>Disposes every tensor in a loaded object; returns the bytes of their distinct storages.</summary>
    public static long DisposeAll(object? result)
    {
        var storages = new Dictionary<IntPtr, long>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object?>();
        pending.Push(result);
        while (pending.Count > 0)
        {
            object? o = pending.Pop();
            if (o is null || o is string || !seen.Add(o))
            {
                continue;
            }

            switch (o)
            {
                case torch.Tensor t when t.is_sparse:
                    // A sparse COO tensor has no storage of its own (asking for it would abort): its indices and values do.
                    pending.Push(t.SparseIndices);
                    pending.Push(t.SparseValues);
                    t.Dispose();
                    break;
                case torch.Tensor t when t.device_type == DeviceType.META:
                    t.Dispose(); // no data at all
                    break;
                case torch.Tensor t:
                    storages[StorageData(t.Handle)] = t.numel() == 0 ? 0 : StorageBytes(t.Handle);
                    t.Dispose();
                    break;
                case IDictionary d:
                    foreach (DictionaryEntry e in d)
                    {
                        pending.Push(e.Key);
                        pending.Push(e.Value);
                    }

                    break;
                case IEnumerable items and not byte[] and not long[]:
                    foreach (object? item in items)
                    {
                        pending.Push(item switch
                        {
                            KeyValuePair<string, object?> kv => kv.Value,
                            KeyValuePair<object, object?> ko => ko.Value,
                            KeyValuePair<string, torch.Tensor> kt => kt.Value,
                            _ => item,
                        });
                    }

                    break;
            }
        }

        return storages.Values.Sum();
    }

    [LibraryImport("LibTorchSharp", EntryPoint = "THSStorage_nbytes")]
    private static partial long StorageBytes(IntPtr tensor);

    [LibraryImport("LibTorchSharp", EntryPoint = "THSStorage_data_ptr")]
    private static partial IntPtr StorageData(IntPtr tensor);
}
