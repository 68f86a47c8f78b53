using FluentAssertions;
using TorchFacade.Fuzz;
using TorchFacade.Tests.Interop;
using Xunit;
using Xunit.Abstractions;

namespace TorchFacade.Tests.Fuzzing;

/// <summary>
/// The CI-sized campaign of the shared fuzz harness (tests/TorchFacade.Fuzz; `./build.sh fuzz` runs 100,000 mutants per
/// reader in child processes): 10,000 mutants of each of the four readers, 40,000 in all (TORCHFACADE_FUZZ_MUTANTS
/// changes the count per reader). Every mutant loads or raises the reader's own typed exception — nothing else, no
/// crash — and a load never produces tensors larger than its file can justify.
/// </summary>
[Collection(PinCountCollection.Name)]
public class ReaderFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261203;

    private static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable("TORCHFACADE_FUZZ_MUTANTS"), out int n) && n > 0 ? n : 10_000;

    [Theory]
    [InlineData("npy")]
    [InlineData("npz")]
    [InlineData("safetensors")]
    [InlineData("torch")]
    public void EveryMutantLoadsOrRaisesTheReadersOwnException(string reader)
    {
        FuzzTarget target = FuzzTarget.Named(reader);
        FuzzReport report = FuzzCampaign.RunInProcess(target, Seed, 0, Count);
        output.WriteLine(FuzzReport.Table([report]));
        report.Failures.Should().BeEmpty("every mutant must load or raise {0}", target.Expected.Name);
        report.Bugs.Should().Be(0);
        report.Cases.Should().Be(Count);
        report.Loaded.Should().BeGreaterThan(Count / 200, "some mutants stay valid, so the data path is exercised too");
        report.Rejected.Should().BeGreaterThan(Count / 4);

        // A loaded tensor holds only bytes its file had — times deflate's largest ratio (1032:1) where the format may
        // deflate its members (.npz; a re-zipped torch.save file).
        double bound = reader is "npz" or "torch" ? 1032 : 1;
        report.MaxTensorPerByte.Should().BeLessThanOrEqualTo(bound);
        // The seeds are a few KB; the zip-bomb mutants carry up to 4 MiB of deflated zeros, which a reader may inflate.
        report.MaxManagedBytes.Should().BeLessThan(12 << 20, "no mutant makes a reader allocate more than its largest justified inflation");
    }

    [Fact]
    public void MutantsAreTheSameInEveryProcess()
    {
        FuzzTarget target = FuzzTarget.Named("torch");
        byte[][] seeds = target.Seeds();
        byte[] first = FuzzCampaign.MakeMutant(target, seeds, Seed, 1234);
        byte[] again = FuzzCampaign.MakeMutant(target, seeds, Seed, 1234);
        again.Should().Equal(first, "a crashing mutant is remade by its index in the parent process");
        FuzzCampaign.MakeMutant(target, seeds, Seed, 1235).Should().NotEqual(first);
    }
}
