using System.Diagnostics;
using System.Text;
using FluentAssertions;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace TorchFacade.Tests.Interop;

/// <summary>
/// A deterministic, seeded mutation fuzz of the .npy and .npz readers: inputs derived from valid NumPy-written files
/// by bit flips, byte overwrites (with bytes that matter to the header grammar), truncation, insertion, deletion and
/// header-token replacement. Every input must either load (and then hold no more data than the input) or raise
/// <see cref="NpyFormatException"/>; any other exception type, or a crash, fails the test.
/// </summary>
public class NpyFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] SeedFiles =
    [
        "f4_le.npy", "i8_be.npy", "c16_v2_fortran.npy", "i8_v3.npy", "b1_le.npy", "f8_scalar.npy",
        "i2_empty_3d.npy", "f2_be.npy", "i1_rank10.npy", "f4_fortran_2d.npy",
    ];

    private static readonly byte[] Interesting = [.. "(),:'\"{}[]-0123456789LTFN \n<>|"u8, 0x00, 0xFF, 0x7F, 0x80, 0x93];

    private static readonly string[] Tokens =
    [
        "(-1,)", "(4294967296, 4294967296)", "(99999999999999999999,)", "()", "(0,)", "True", "None", "'|O'", "'<u8'",
        "[('a', '<f4')]", "'<f4'", "((((((((((((((((((((", "1L", "(3, 'x')", "{}", "'fortran_order'", "'shape'",
    ];

    [Fact]
    public void HundredThousandMutatedNpyFilesRaiseOnlyNpyFormatException()
    {
        byte[][] seeds = SeedFiles.Select(f => File.ReadAllBytes(InteropFixtures.PathOf(f))).ToArray();
        var random = new Random(20261123);
        int loaded = 0, rejected = 0;
        var timer = Stopwatch.StartNew();
        using (torch.NewDisposeScope())
        {
            for (int i = 0; i < 100_000; i++)
            {
                byte[] input = Mutate(seeds[random.Next(seeds.Length)], random);
                using var stream = new MemoryStream(input, writable: false);
                try
                {
                    using torch.Tensor t = Npy.Read(stream, "fuzz");
                    (t.numel() * t.element_size()).Should().BeLessThanOrEqualTo(input.Length, "a loaded array holds only bytes the input had");
                    loaded++;
                }
                catch (NpyFormatException)
                {
                    rejected++;
                }
                catch (Exception ex)
                {
                    throw new Xunit.Sdk.XunitException(
                        $"input {i} raised {ex.GetType().Name} instead of NpyFormatException: {ex.Message}\nbase64: {Convert.ToBase64String(input)}");
                }
            }
        }

        output.WriteLine($"100000 inputs: {loaded} loaded, {rejected} rejected with NpyFormatException, {timer.Elapsed.TotalSeconds:F1} s");
        loaded.Should().BeGreaterThan(1000, "the mutations also leave many files valid, exercising the data path");
        rejected.Should().BeGreaterThan(10_000);
    }

    [Fact]
    public void MutatedNpzArchivesRaiseOnlyNpyFormatException()
    {
        byte[][] seeds = new[] { "stored.npz", "compressed.npz" }.Select(f => File.ReadAllBytes(InteropFixtures.PathOf(f))).ToArray();
        var random = new Random(7);
        int loaded = 0, rejected = 0;
        for (int i = 0; i < 5_000; i++)
        {
            byte[] input = Mutate(seeds[random.Next(seeds.Length)], random);
            using var stream = new MemoryStream(input, writable: false);
            try
            {
                foreach (torch.Tensor t in Npz.Read(stream, "fuzz.npz").Values)
                {
                    t.Dispose();
                }

                loaded++;
            }
            catch (NpyFormatException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException(
                    $"archive {i} raised {ex.GetType().Name} instead of NpyFormatException: {ex.Message}\nbase64: {Convert.ToBase64String(input)}");
            }
        }

        output.WriteLine($"5000 archives: {loaded} loaded, {rejected} rejected");
        rejected.Should().BeGreaterThan(0);
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        int operations = 1 + random.Next(3);
        for (int k = 0; k < operations && data.Count > 0; k++)
        {
            // Most mutations hit the preamble and header (the first 128 bytes), where the parser lives.
            int span = random.Next(4) == 0 ? data.Count : Math.Min(data.Count, 128);
            int at = random.Next(span);
            switch (random.Next(7))
            {
                case 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    data[at] = (byte)random.Next(256);
                    break;
                case 3:
                    int keep = random.Next(data.Count);
                    data.RemoveRange(keep, data.Count - keep); // truncate
                    break;
                case 4:
                    data.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => Interesting[random.Next(Interesting.Length)]));
                    break;
                case 5:
                    data.RemoveRange(at, Math.Min(1 + random.Next(8), data.Count - at));
                    break;
                default:
                    ReplaceToken(data, random);
                    break;
            }
        }

        return [.. data];
    }

    private static void ReplaceToken(List<byte> data, Random random)
    {
        // Replace the text between two delimiters inside the header with a hostile token.
        string text = Encoding.Latin1.GetString(data.ToArray(), 0, Math.Min(data.Count, 256));
        int start = text.IndexOf(random.Next(3) switch { 0 => "'shape': ", 1 => "'descr': ", _ => "'fortran_order': " }, StringComparison.Ordinal);
        if (start < 0)
        {
            return;
        }

        start = text.IndexOf(':', start) + 2;
        int end = text.IndexOf(random.Next(2) == 0 ? ',' : '}', start);
        if (end < 0)
        {
            return;
        }

        data.RemoveRange(start, end - start);
        data.InsertRange(start, Encoding.Latin1.GetBytes(Tokens[random.Next(Tokens.Length)]));
    }
}
