using System.Diagnostics;
using FluentAssertions;
using TorchFacade.Tests.Interop;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace TorchFacade.Tests.Checkpoints;

/// <summary>
/// The CI-sized fuzz of both checkpoint readers (TORCHFACADE_FUZZ_MUTANTS raises the count per reader, as the long fuzz
/// run does): no crash, no exception but <see cref="CheckpointFormatException"/>, and no tensor holding more bytes than
/// its input had.
/// </summary>
[Collection(PinCountCollection.Name)]
public class CheckpointFuzzTests(ITestOutputHelper output)
{
    private static int Count(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable("TORCHFACADE_FUZZ_MUTANTS"), out int n) && n > 0 ? n : ci;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MutatedSafetensorsFilesRaiseOnlyCheckpointFormatException(bool memoryMap)
    {
        byte[][] seeds = new[] { "dtypes.safetensors", "with_metadata.safetensors", "ordered.safetensors", "complex64.safetensors", "unsigned.safetensors" }
            .Select(f => File.ReadAllBytes(CheckpointFixtures.PathOf(f))).ToArray();
        using var dir = new TempDir();
        var fuzzer = new CheckpointFuzzer(memoryMap ? 11 : 13);
        var timer = Stopwatch.StartNew();
        int count = Count(3_000);
        fuzzer.Run(seeds, count, dir.File("fuzz.safetensors"), fuzzer.MutateSafetensors, f => Safetensors.Load(f, memoryMap));
        Report("safetensors", memoryMap, count, fuzzer, timer);
        fuzzer.Failures.Should().BeEmpty();
        fuzzer.Loaded.Should().BeGreaterThan(count / 200, "some mutants stay valid, exercising the data path");
        fuzzer.MaxTensorBytesPerByte.Should().BeLessThanOrEqualTo(1.0, "a loaded tensor holds only bytes its file had");
        fuzzer.MaxManagedBytes.Should().BeLessThan(4 << 20, "no mutant of a file of at most a few KB makes the reader allocate megabytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MutatedTorchCheckpointsRaiseOnlyCheckpointFormatException(bool memoryMap)
    {
        byte[][] seeds = new[] { "views.pt", "nested.pt", "dtypes.pt", "training.pt", "batchnorm.pt" }
            .Select(f => File.ReadAllBytes(CheckpointFixtures.PathOf(f))).ToArray();
        using var dir = new TempDir();
        var fuzzer = new CheckpointFuzzer(memoryMap ? 17 : 19);
        var timer = Stopwatch.StartNew();
        int count = Count(3_000);
        fuzzer.Run(seeds, count, dir.File("fuzz.pt"), fuzzer.MutateTorch, f => Torch.Load(f, memoryMap: memoryMap));
        Report("torch.save", memoryMap, count, fuzzer, timer);
        fuzzer.Failures.Should().BeEmpty();
        fuzzer.Loaded.Should().BeGreaterThan(count / 200);
        fuzzer.MaxTensorBytesPerByte.Should().BeLessThanOrEqualTo(1.0);
        fuzzer.MaxManagedBytes.Should().BeLessThan(4 << 20);
    }

    private void Report(string reader, bool memoryMap, int count, CheckpointFuzzer fuzzer, Stopwatch timer) =>
        output.WriteLine(
            $"{reader} (memoryMap: {memoryMap}): {count} mutants, {fuzzer.Loaded} loaded, {fuzzer.Rejected} rejected with CheckpointFormatException, "
            + $"{fuzzer.Failures.Count} other; largest managed allocation {fuzzer.MaxManagedBytes} bytes (inputs up to {fuzzer.MaxInputBytes} bytes; "
            + $"at most {fuzzer.MaxManagedPerByte:F0} bytes per input byte, mostly fixed overhead on tiny inputs), largest tensor data "
            + $"{fuzzer.MaxTensorBytesPerByte:F2} bytes per input byte; {timer.Elapsed.TotalSeconds:F1} s");
}
