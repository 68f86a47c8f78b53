using System.IO.Compression;
using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Interop;

/// <summary>Malformed files raise <see cref="NpyFormatException"/> naming the file and the problem, never a crash or a header-driven allocation.</summary>
[Collection(PinCountCollection.Name)]
public class NpyMalformedInputTests
{
    private static readonly byte[] TwelveBytes = new byte[12];

    public static TheoryData<string, byte[], string> Cases() => new()
    {
        { "empty file", [], "too short" },
        { "five bytes", [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P'], "too short" },
        { "bad magic", [.. "PK\u0003\u0004xxxxxxxxxxxxxxxxxxxxxxx"u8], "bad magic" },
        { "unknown version 4.0", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "(3,)"), TwelveBytes, major: 4), "unknown .npy format version 4.0" },
        { "unknown version 1.5", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "(3,)"), TwelveBytes, minor: 5), "version 1.5" },
        { "header length beyond the file", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "(3,)"), [], headerLengthOverride: 60000), "header claims 60000 bytes" },
        { "header length overflow (v2, 4 GiB)", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "(3,)"), [], major: 2, headerLengthOverride: uint.MaxValue), "header claims 4294967295 bytes" },
        { "truncated inside the v2 preamble", [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 1, 0], "truncated" },
        { "not a dict", NpyTestFiles.Build("['descr', '<f4']", TwelveBytes), "not a Python dict" },
        { "unterminated tuple", NpyTestFiles.Build("{'descr': '<f4', 'fortran_order': False, 'shape': (3, }", TwelveBytes), "cannot parse the header" },
        { "unterminated string", NpyTestFiles.Build("{'descr': '<f4, 'fortran_order': False, 'shape': (3,), }", TwelveBytes), "cannot parse the header" },
        { "deep nesting", NpyTestFiles.Build("{'descr': " + new string('(', 500) + "}", TwelveBytes), "nests deeper" },
        { "missing key", NpyTestFiles.Build("{'descr': '<f4', 'shape': (3,), }", TwelveBytes), "exactly the keys" },
        { "extra key", NpyTestFiles.Build("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': 1}", TwelveBytes), "exactly the keys" },
        { "fortran_order not bool", NpyTestFiles.Build("{'descr': '<f4', 'fortran_order': 0, 'shape': (3,), }", TwelveBytes), "'fortran_order' must be True or False" },
        { "shape not a tuple", NpyTestFiles.Build("{'descr': '<f4', 'fortran_order': False, 'shape': 3, }", TwelveBytes), "'shape' must be a tuple" },
        { "shape entry not an int", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "('3',)"), TwelveBytes), "not an integer" },
        { "object dtype", NpyTestFiles.Build(NpyTestFiles.Dict("|O", "(3,)"), TwelveBytes), "object" },
        { "structured dtype", NpyTestFiles.Build("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (3,), }", TwelveBytes), "structured" },
        { "unknown dtype", NpyTestFiles.Build(NpyTestFiles.Dict("<q7", "(3,)"), TwelveBytes), "not a numeric dtype" },
        { "negative shape", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "(-1,)"), TwelveBytes), "negative" },
        { "overflowing shape product", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "(4294967296, 4294967296)"), TwelveBytes), "more bytes than a 64-bit size" },
        { "overflowing shape entry", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "(99999999999999999999,)"), TwelveBytes), "fits in 64 bits" },
        { "huge shape, tiny file", NpyTestFiles.Build(NpyTestFiles.Dict("<f8", "(1000000000000,)"), TwelveBytes), "promises 8000000000000 bytes" },
        { "data shorter than promised", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "(4,)"), TwelveBytes), "the data is 12 bytes but the header promises 16 bytes" },
        { "v3 header not UTF-8", NpyTestFiles.Build(NpyTestFiles.Dict("<f4", "(3,)"), TwelveBytes, major: 3).Select((b, i) => i == 13 ? (byte)0xFF : b).ToArray(), "not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MalformedNpyRaisesNpyFormatException(string what, byte[] file, string expectedProblem)
    {
        using var stream = new MemoryStream(file);
        Action act = () => Npy.Read(stream, what).Dispose();
        act.Should().Throw<NpyFormatException>()
            .Where(e => e.Path == what && e.Message.StartsWith(what + ": ", StringComparison.Ordinal))
            .Which.Problem.Should().Contain(expectedProblem);
    }

    [Fact]
    public void TheMessageOfAFileNamesItsPath()
    {
        using var dir = new TempDir();
        string path = dir.File("truncated.npy");
        byte[] valid = File.ReadAllBytes(InteropFixtures.PathOf("f8_le.npy"));
        File.WriteAllBytes(path, valid[..^5]);
        Action act = () => Npy.Load(path);
        act.Should().Throw<NpyFormatException>().WithMessage($"{path}: *truncated*").Which.Path.Should().Be(path);
        Action mapped = () => Npy.Load(path, memoryMap: true);
        mapped.Should().Throw<NpyFormatException>().WithMessage($"{path}: *truncated*");
    }

    [Fact]
    public void AnNpzThatIsNotAZipIsAFormatError()
    {
        using var dir = new TempDir();
        string path = dir.File("fake.npz");
        File.Copy(InteropFixtures.PathOf("f4_le.npy"), path);
        Action act = () => Npz.Load(path);
        act.Should().Throw<NpyFormatException>().WithMessage($"{path}: *not a valid zip archive*");
    }

    [Fact]
    public void AnNpzWithAMalformedEntryNamesTheEntry()
    {
        using var dir = new TempDir();
        string path = dir.File("bad-entry.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (Stream s = zip.CreateEntry("good.npy").Open())
            {
                s.Write(File.ReadAllBytes(InteropFixtures.PathOf("f4_le.npy")));
            }

            using (Stream s = zip.CreateEntry("short.npy", CompressionLevel.Optimal).Open())
            {
                s.Write(NpyTestFiles.Build(NpyTestFiles.Dict("<f8", "(1000,)"), new byte[16]));
            }
        }

        Action act = () => Npz.Load(path);
        act.Should().Throw<NpyFormatException>().WithMessage($"{path}:short.npy: *promises 8000 bytes*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnNpzWhoseDataByteChangedUnderItsCrcIsRefusedAsNumPyDoes(bool compressed)
    {
        // NumPy's zipfile checks every member's CRC-32 (BadZipFile: Bad CRC-32); so does Npz.Load, stored or deflated.
        using var dir = new TempDir();
        string path = dir.File("crc.npz");
        using (var t = torch.arange(0, 64, dtype: torch.ScalarType.Float32))
        {
            Npz.Save(path, new Dictionary<string, torch.Tensor> { ["x"] = t }, compressed);
        }

        byte[] file = File.ReadAllBytes(path);
        using (var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read))
        {
            zip.GetEntry("x.npy")!.Crc32.Should().NotBe(0u);
        }

        if (compressed)
        {
            // The deflated bytes cannot be changed and stay deflate data, so the recorded CRC changes instead (in the
            // central directory and the local header): the inflated bytes no longer match it.
            int central = file.AsSpan().IndexOf(new byte[] { 0x50, 0x4b, 0x01, 0x02 });
            file[central + 16] ^= 0x01;
            file[file.AsSpan().IndexOf(new byte[] { 0x50, 0x4b, 0x03, 0x04 }) + 14] ^= 0x01;
        }
        else
        {
            // One data byte: the sign of the last float (63.0 becomes -63.0).
            int magic = file.AsSpan().IndexOf(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' });
            int data = magic + 10 + BitConverter.ToUInt16(file, magic + 8);
            file[data + (63 * 4) + 3] ^= 0x80;
        }

        File.WriteAllBytes(path, file);
        Action act = () => Npz.Load(path);
        act.Should().Throw<NpyFormatException>().WithMessage("*CRC-32*corrupt*");
    }

    [Fact]
    public void ALiedAboutShapeInsideADeflatedEntryDoesNotAllocateIt()
    {
        using var dir = new TempDir();
        string path = dir.File("bomb.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using Stream s = zip.CreateEntry("x.npy", CompressionLevel.Optimal).Open();
            s.Write(NpyTestFiles.Build(NpyTestFiles.Dict("<f8", "(100000000000,)"), new byte[64]));
        }

        Action act = () => Npz.Load(path);
        act.Should().Throw<NpyFormatException>().WithMessage("*x.npy*promises 800000000000 bytes*");
    }

    [Fact]
    public void MissingFilesAreFileNotFoundNotFormatErrors()
    {
        Action act = () => Npy.Load(Path.Combine(Path.GetTempPath(), "no-such-file-" + Guid.NewGuid() + ".npy"));
        act.Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void BigEndianMemoryMapFallsBackToACopyWithTheRightValues()
    {
        long pins = PinnedMemory.LiveCount;
        using torch.Tensor t = Npy.Load(InteropFixtures.PathOf("f8_be.npy"), memoryMap: true);
        using torch.Tensor le = Npy.Load(InteropFixtures.PathOf("f8_le.npy"));
        t.shape.Should().Equal(3, 2);
        PinnedMemory.LiveCount.Should().Be(pins, "big-endian data cannot be aliased, so it was read into memory");
        NpyFixtureTests.AssertMatches(t, InteropFixtures.Npy("f8_be.npy"), "f8_be.npy");
    }
}
