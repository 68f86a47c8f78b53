using System.Text.Json;
using TorchFacade.TestSupport;
using Xunit;

namespace TorchFacade.Tests.Interop;

/// <summary>Locates tests/fixtures/npy (written by make_fixtures.py with real NumPy) and reads its manifest.</summary>
internal static class InteropFixtures
{
    private static readonly Lazy<string> Folder = new(FindFolder);
    private static readonly Lazy<JsonElement> ManifestRoot = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder.Value, "manifest.json"))).RootElement);

    public static string Dir => Folder.Value;

    public static JsonElement Manifest => ManifestRoot.Value;

    public static string PathOf(string file) => Path.Combine(Folder.Value, file);

    public static IEnumerable<JsonElement> NpyEntries => Manifest.GetProperty("npy").EnumerateArray();

    public static JsonElement Npy(string file) => NpyEntries.Single(e => e.GetProperty("file").GetString() == file);

    private static string FindFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "npy");
            if (File.Exists(Path.Combine(candidate, "manifest.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"tests/fixtures/npy/manifest.json was not found above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}

/// <summary>Finds a Python 3 with NumPy (Debian's python3-numpy lives under /usr/bin/python3).</summary>
internal static class NumPyProcess
{
    private static readonly Lazy<(string? Python, string Reason)> Probe = new(Find);

    public static string? Python => Probe.Value.Python;

    public static string UnavailableReason => Probe.Value.Reason;

    /// <summary>Runs python with the arguments; returns exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(params string[] args) =>
        PythonProcess.Run(Python ?? throw new InvalidOperationException(UnavailableReason), args);

    private static (string?, string) Find() =>
        new[] { "/usr/bin/python3", "python3", "python" }.FirstOrDefault(p => PythonProcess.Imports(p, "numpy")) is { } python
            ? (python, string.Empty)
            : (null, "Skipped: no python3 with NumPy on this machine (Debian: apt-get install -y python3-numpy); "
                + "files TorchFacade writes were not checked with NumPy.");
}

/// <summary>A fact that is reported as skipped, with the reason, when no python3 with NumPy is installed.</summary>
public sealed class NumPyFactAttribute : FactAttribute
{
    public NumPyFactAttribute()
    {
        if (NumPyProcess.Python is null)
        {
            Skip = NumPyProcess.UnavailableReason;
        }
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "torchfacade-interop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A mapped file may still be open on some platforms; the OS cleans temp.
        }
    }
}
