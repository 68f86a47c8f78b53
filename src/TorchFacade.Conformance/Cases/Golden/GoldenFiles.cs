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

/// <summary>One array of a golden archive.</summary>
/// <param name="Values">The values, row-major, as <see cref="double"/>.</param>
/// <param name="Shape">The shape.</param>
/// <param name="DType">The dtype PyTorch stored.</param>
internal sealed record GoldenArray(double[] Values, long[] Shape, torch.ScalarType DType)
{
    /// <summary>The array as a new tensor of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <param name="device">The device.</param>
    /// <returns>A new tensor (registered in the caller's dispose scope).</returns>
    public torch.Tensor ToTensor(torch.ScalarType dtype, torch.Device device) =>
        torch.tensor(Values, Shape, dtype: torch.ScalarType.Float64).to(dtype).to(device);
}

/// <summary>The contents of <c>tests/golden/manifest.json</c>.</summary>
internal sealed class GoldenManifest
{
    /// <summary>The PyTorch version that wrote the files.</summary>
    public string? Torch { get; set; }

    /// <summary>The CUDA version PyTorch was built with, if any.</summary>
    public string? Cuda { get; set; }

    /// <summary>The GPU name, if the files were made on one.</summary>
    public string? Gpu { get; set; }

    /// <summary>The devices the files were computed on.</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>The archives.</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>The activation names in the activation archives.</summary>
    public List<string> Activations { get; set; } = [];

    /// <summary>The optimizer configurations in the optimizer archives.</summary>
    public List<GoldenOptimizerCase> Optimizers { get; set; } = [];

    /// <summary>The number of optimizer steps recorded.</summary>
    public int Steps { get; set; }
}

/// <summary>One optimizer configuration of the golden grid.</summary>
internal sealed class GoldenOptimizerCase
{
    /// <summary>The configuration id (the key prefix in the archive).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary><c>sgd</c>, <c>adagrad</c>, <c>rmsprop</c>, <c>adam</c> or <c>adamw</c>.</summary>
    public string Optimizer { get; set; } = string.Empty;

    /// <summary>PyTorch's keyword arguments.</summary>
    public Dictionary<string, JsonElement> Options { get; set; } = [];
}
