using TorchSharp;

namespace TorchFacade.Fuzz;

/// <summary>
/// One reader under fuzz: its name, the valid files its mutants derive from (written by NumPy, PyTorch and the
/// safetensors package: tests/fixtures), how a mutant is made, how it is loaded (<c>memoryMap</c> alternates between
/// mutants where the reader has the option), and the one exception type the reader may raise.
/// </summary>
internal sealed record FuzzTarget(string Name, int Id, string Extension, string[] SeedFiles, Func<Mutator, byte[], byte[]> Mutate, Func<string, bool, object?> Load, Type Expected)
{
    /// <summary>The four readers, in the order they run.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("npy", 1, ".npy", ["npy/f4_le.npy", "npy/i8_be.npy", "npy/c16_v2_fortran.npy", "npy/i8_v3.npy", "npy/b1_le.npy", "npy/f8_scalar.npy", "npy/i2_empty_3d.npy", "npy/f2_be.npy", "npy/i1_rank10.npy", "npy/f4_fortran_2d.npy"],
            (m, s) => m.MutateNpy(s), (path, map) => Npy.Load(path, memoryMap: map), typeof(NpyFormatException)),
        new("npz", 2, ".npz", ["npy/stored.npz", "npy/compressed.npz"],
            (m, s) => m.MutateNpz(s), (path, _) => Npz.Load(path), typeof(NpyFormatException)),
        new("safetensors", 3, ".safetensors", ["checkpoints/dtypes.safetensors", "checkpoints/with_metadata.safetensors", "checkpoints/ordered.safetensors", "checkpoints/complex64.safetensors", "checkpoints/unsigned.safetensors"],
            (m, s) => m.MutateSafetensors(s), (path, map) => Safetensors.Load(path, memoryMap: map), typeof(CheckpointFormatException)),
        new("torch", 4, ".pt", ["checkpoints/views.pt", "checkpoints/nested.pt", "checkpoints/dtypes.pt", "checkpoints/training.pt", "checkpoints/batchnorm.pt", "checkpoints/sparse.pt", "checkpoints/meta.pt"],
            (m, s) => m.MutateTorch(s), (path, map) => Torch.Load(path, memoryMap: map), typeof(CheckpointFormatException)),
    ];

    /// <summary>The target of that name.</summary>
    /// <exception cref="ArgumentException">No reader has that name.</exception>
    public static FuzzTarget Named(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"No fuzz target '{name}'; the targets are {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));

    /// <summary>The seed files' bytes (tests/fixtures, found from the program's folder upwards).</summary>
    public byte[][] Seeds() => [.. SeedFiles.Select(f => File.ReadAllBytes(Path.Combine(FixturesFolder.Value, f)))];

    private static readonly Lazy<string> FixturesFolder = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures");
            if (Directory.Exists(Path.Combine(candidate, "checkpoints")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures (the seed files) was not found above " + AppContext.BaseDirectory);
    });
}
