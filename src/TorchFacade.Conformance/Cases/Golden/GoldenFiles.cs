using System.Collections.Concurrent;
using System.Text.Json;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// The golden files under <c>tests/golden/</c>, written by <c>tests/golden/make_golden.py</c> (PyTorch + NumPy):
/// the manifest, and the arrays of each <c>.npz</c> read once with <see cref="Npz.Load"/> and kept as managed copies.
/// </summary>
internal static class GoldenFiles
{
    /// <summary>Environment variable that points at another golden directory (e.g. files made on a CUDA machine).</summary>
    public const string DirectoryVariable = "TORCHFACADE_GOLDEN_DIR";

    private static readonly Lazy<string?> Dir = new(FindDirectory);
    private static readonly Lazy<GoldenManifest?> ManifestValue = new(ReadManifest);
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, GoldenArray>> Archives = new();

    /// <summary>The golden directory, or <see langword="null"/> when none was found.</summary>
    public static string? Directory => Dir.Value;

    /// <summary>The parsed manifest, or <see langword="null"/> when there are no golden files.</summary>
    public static GoldenManifest? Manifest => ManifestValue.Value;

    /// <summary>The skip reason used when no golden files are present.</summary>
    public static string MissingReason =>
        $"skipped: no golden files (tests/golden/manifest.json not found above {AppContext.BaseDirectory}; set {DirectoryVariable})";

    /// <summary>The arrays of one golden archive, read once (managed copies; no tensor outlives the call).</summary>
    /// <param name="file">The archive's file name, e.g. <c>activations_cuda_float32.npz</c>.</param>
    /// <returns>Key → values and shape.</returns>
    public static IReadOnlyDictionary<string, GoldenArray> Archive(string file) =>
        Archives.GetOrAdd(file, static f =>
        {
            string path = Path.Combine(Directory ?? throw new InvalidOperationException(MissingReason), f);
            using var scope = torch.NewDisposeScope();
            var arrays = new Dictionary<string, GoldenArray>(StringComparer.Ordinal);
            foreach ((string key, torch.Tensor tensor) in Npz.Load(path))
            {
                arrays[key] = new GoldenArray(Compare.ToDoubles(tensor), tensor.shape, tensor.dtype);
            }

            return arrays;
        });

    private static string? FindDirectory()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } fromEnv && File.Exists(Path.Combine(fromEnv, "manifest.json")))
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "golden");
            if (File.Exists(Path.Combine(candidate, "manifest.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static GoldenManifest? ReadManifest()
    {
        if (Directory is null)
        {
            return null;
        }

        using var stream = File.OpenRead(Path.Combine(Directory, "manifest.json"));
        return JsonSerializer.Deserialize<GoldenManifest>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
    }
}
