using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Interop;

/// <summary>Files TorchFacade writes load back in TorchFacade and in real NumPy (verify_written.py) bit for bit.</summary>
public class NpyRoundTripTests
{
    /// <summary>A named sample: a tensor built from a .NET array (the expected bytes come from that array).</summary>
    private sealed record Sample(string File, string Descr, long[] Shape, byte[] Bytes, Func<torch.Tensor> Make);

    private static Sample Of<T>(string file, string descr, T[] values, params long[] shape)
        where T : unmanaged =>
        new(file, descr, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), () => Torch.Tensor(values, shape));

    private static IEnumerable<Sample> Samples()
    {
        yield return Of("b1.npy", "|b1", new[] { true, false, false, true }, 2, 2);
        yield return Of("u1.npy", "|u1", new byte[] { 0, 1, 254, 255 }, 4);
        yield return Of("i1.npy", "|i1", new sbyte[] { -128, -1, 0, 127 }, 4);
        yield return Of("i2.npy", "<i2", new short[] { short.MinValue, -1, 2, short.MaxValue }, 2, 2);
        yield return Of("i4.npy", "<i4", new[] { int.MinValue, -1, 2, int.MaxValue, 5, 6 }, 3, 2);
        yield return Of("i8.npy", "<i8", new[] { long.MinValue, -1, long.MaxValue }, 3);
        yield return Of("f2.npy", "<f2", new[] { Half.MaxValue, Half.NaN, (Half)(-0.0f), Half.Epsilon }, 4);
        yield return Of("f4.npy", "<f4", new[] { float.MaxValue, float.NaN, -0f, float.Epsilon, 1.5f, float.NegativeInfinity }, 2, 3);
        yield return Of("f8.npy", "<f8", new[] { double.MaxValue, double.NaN, -0.0, double.Epsilon }, 2, 1, 2);
        yield return Of("c16.npy", "<c16", new[] { new Complex(1, -2), new Complex(double.NaN, 0), new Complex(-0.0, double.PositiveInfinity) }, 3);
        // 0-d: an empty shape means [length] for FromArray/Tensor, so the scalar comes from torch.tensor(double).
        double[] pi = [Math.PI];
        yield return new Sample("scalar.npy", "<f8", [], MemoryMarshal.AsBytes(pi.AsSpan()).ToArray(), () => torch.tensor(Math.PI));
        yield return Of("empty.npy", "<f4", Array.Empty<float>(), 2, 0, 3);
        yield return Of("rank8.npy", "<i4", Enumerable.Range(0, 256).ToArray(), 2, 2, 2, 2, 2, 2, 2, 2);
        // complex64: built from float pairs, since .NET has no complex64 element type.
        float[] pairs = [1, 2, -3, 4.5f];
        yield return new Sample("c8.npy", "<c8", [2], MemoryMarshal.AsBytes(pairs.AsSpan()).ToArray(), () =>
        {
            using torch.Tensor real = Torch.Tensor(pairs, 2, 2);
            return torch.view_as_complex(real).clone();
        });
        // A transposed (non-contiguous) tensor is written in C order of its logical shape.
        int[] transposedValues = [0, 3, 1, 4, 2, 5];
        yield return new Sample("transposed.npy", "<i4", [3, 2], MemoryMarshal.AsBytes(transposedValues.AsSpan()).ToArray(), () =>
        {
            using torch.Tensor t = Torch.Tensor(new[] { 0, 1, 2, 3, 4, 5 }, 2, 3);
            return t.t();
        });
    }

    [Fact]
    public void SavedFilesLoadBackIdentically()
    {
        using var dir = new TempDir();
        foreach (Sample s in Samples())
        {
            string path = dir.File(s.File);
            using (torch.Tensor t = s.Make())
            {
                Npy.Save(path, t);
            }

            using torch.Tensor back = Npy.Load(path);
            back.shape.Should().Equal(s.Shape, s.File);
            using torch.Tensor dense = back.contiguous();
            dense.ToArrayViaBytes().Should().Equal(s.Bytes, s.File);
            long headerBytes = new FileInfo(path).Length - s.Bytes.Length;
            (headerBytes % 64).Should().Be(0, "NumPy aligns the data to 64 bytes");
        }
    }

    [Fact]
    public void ArchivesRoundTripStoredAndCompressed()
    {
        using var dir = new TempDir();
        foreach (bool compressed in new[] { false, true })
        {
            string path = dir.File(compressed ? "c.npz" : "s.npz");
            var arrays = Samples().ToDictionary(s => Path.GetFileNameWithoutExtension(s.File), s => s.Make());
            try
            {
                Npz.Save(path, arrays, compressed);
            }
            finally
            {
                foreach (torch.Tensor t in arrays.Values)
                {
                    t.Dispose();
                }
            }

            IReadOnlyDictionary<string, torch.Tensor> back = Npz.Load(path);
            try
            {
                foreach (Sample s in Samples())
                {
                    torch.Tensor t = back[Path.GetFileNameWithoutExtension(s.File)];
                    t.shape.Should().Equal(s.Shape);
                    using torch.Tensor dense = t.contiguous();
                    dense.ToArrayViaBytes().Should().Equal(s.Bytes, s.File);
                }
            }
            finally
            {
                foreach (torch.Tensor t in back.Values)
                {
                    t.Dispose();
                }
            }
        }
    }

    [Fact]
    public void BFloat16IsRefusedBecauseNumPyHasNoSuchDtype()
    {
        using var dir = new TempDir();
        using torch.Tensor b = torch.ones(2, dtype: torch.ScalarType.BFloat16);
        Action act = () => Npy.Save(dir.File("b.npy"), b);
        act.Should().Throw<ArgumentException>().WithMessage("*bfloat16*Float32*");
        File.Exists(dir.File("b.npy")).Should().BeFalse("nothing is written for a refused tensor");
    }

    [NumPyFact]
    public void NumPyLoadsWhatTorchFacadeWrote()
    {
        using var dir = new TempDir();
        var npy = new Dictionary<string, object>();
        var archiveArrays = new Dictionary<string, object>();
        var tensors = new Dictionary<string, torch.Tensor>();
        try
        {
            foreach (Sample s in Samples())
            {
                var expected = new { descr = s.Descr, shape = s.Shape, hex = Convert.ToHexString(s.Bytes).ToLowerInvariant() };
                npy[s.File] = expected;
                archiveArrays[Path.GetFileNameWithoutExtension(s.File)] = expected;
                torch.Tensor t = s.Make();
                tensors[Path.GetFileNameWithoutExtension(s.File)] = t;
                Npy.Save(dir.File(s.File), t);
            }

            Npz.Save(dir.File("stored.npz"), tensors, compressed: false);
            Npz.Save(dir.File("compressed.npz"), tensors, compressed: true);
        }
        finally
        {
            foreach (torch.Tensor t in tensors.Values)
            {
                t.Dispose();
            }
        }

        var manifest = new { npy, npz = new Dictionary<string, object> { ["stored.npz"] = archiveArrays, ["compressed.npz"] = archiveArrays } };
        File.WriteAllText(dir.File("expected.json"), JsonSerializer.Serialize(manifest));
        (int code, string output) = NumPyProcess.Run(InteropFixtures.PathOf("verify_written.py"), dir.Path);
        code.Should().Be(0, output);
        output.Should().Contain("OK c16.npy").And.Contain("OK compressed.npz:rank8").And.NotContain("FAIL");
    }
}
