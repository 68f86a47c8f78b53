using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// <c>torchfacade doctor</c>: what native runtime this process would load (or has loaded) and the known problems, each
/// with its fix. The shadowing check also runs once at the first use of the facade (<see cref="NativeRuntime"/>), so a
/// system LibTorch that would be bound instead of the one TorchSharp ships raises
/// <see cref="NativeRuntimeUnavailableException"/> instead of killing the process with "symbol lookup error".
/// </summary>
public static partial class NativeDoctor
{
    private const string ShippedLibTorch = "2.10.0";

    /// <summary>
    /// The problem of a LibTorch that is absent from this application but present on the system (for example Debian's
    /// <c>libtorch2.6</c>, which <c>python3-torch</c> installs): libLibTorchSharp would bind to it and the process would
    /// die at the first tensor. <see langword="null"/> when there is none (or off Linux).
    /// </summary>
    /// <returns>The problem and its fix, or <see langword="null"/>.</returns>
    public static string? ShadowingProblem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string? sharp = FindInApp("libLibTorchSharp.so");
        if (sharp is null || File.Exists(Path.Combine(Path.GetDirectoryName(sharp)!, "libtorch_cpu.so"))
            || FindInApp("libtorch_cpu.so") is not null)
        {
            return null;
        }

        string? system = SystemLibTorch();
        string rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64";
        return "TorchFacade: this application ships TorchSharp's libLibTorchSharp.so but no LibTorch next to it ("
               + Path.GetDirectoryName(sharp) + " has no libtorch_cpu.so), "
               + (system is null
                   ? "and the system has none either: LibTorch cannot be loaded."
                   : $"so the dynamic loader would bind the system's {system} instead of the LibTorch {ShippedLibTorch} TorchSharp 0.107.0 was built for, "
                     + "a LibTorch TorchSharp was not built for: the process dies with \"symbol lookup error: ... libLibTorchSharp.so: undefined symbol\" at the first function whose symbol that LibTorch lacks.")
               + $" Fix: reference LibTorch's runtime package, <PackageReference Include=\"libtorch-cpu-{rid}\" Version=\"{ShippedLibTorch}\" /> "
               + "(or TorchSharp-cpu, or TorchSharp-cuda-linux for CUDA), and rebuild.";
    }

    /// <summary>Runs every check and describes the native runtime.</summary>
    /// <param name="problems">The problems found, each with its fix (empty when none).</param>
    /// <returns>The report, one fact a line.</returns>
    public static string Diagnose(out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        var sb = new StringBuilder();
        void Line(string label, string value) => sb.Append(CultureInfo.InvariantCulture, $"{label,-22}{value}\n");

        Assembly sharpAssembly = typeof(torch).Assembly;
        Line("TorchSharp", $"{sharpAssembly.GetName().Version} ({sharpAssembly.Location})");
        Line(".NET", $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier}, {RuntimeInformation.OSDescription}");
        Line("application", AppContext.BaseDirectory);
        if (OperatingSystem.IsLinux())
        {
            Line("libLibTorchSharp.so", FindInApp("libLibTorchSharp.so") ?? "not in the application");
            Line("libtorch_cpu.so", FindInApp("libtorch_cpu.so") ?? "not in the application");
            Line("system LibTorch", SystemLibTorch() ?? "none");
            (string? libstdcxx, string? level) = Glibcxx();
            Line("libstdc++", libstdcxx is null ? "not found" : $"{libstdcxx}, highest {level ?? "?"} (TorchSharp needs {NativeRuntime.RequiredGlibcxx})");
        }

        if (OperatingSystem.IsWindows())
        {
            found.Add("Windows: TorchSharp 0.107.0 may fail to load its native library (TorchSharp issue 1567: "
                      + "'LibTorchSharp.dll or one of its dependencies' not found). Fix: install the latest Microsoft Visual C++ "
                      + "Redistributable (x64), keep the libtorch-cpu-win-x64 package, and make sure the output folder has "
                      + "torch_cpu.dll next to LibTorchSharp.dll.");
        }

        if (ShadowingProblem() is { } shadow)
        {
            found.Add(shadow);
        }
        else if (!NativeRuntime.IsAvailable)
        {
            found.Add(NativeRuntime.FailureReason ?? "LibTorch could not be loaded.");
        }
        else
        {
            Line("LibTorch", torch.__version__);
            if (OperatingSystem.IsLinux())
            {
                foreach (string path in LoadedLibraries())
                {
                    Line("loaded", path);
                }

                string? boundTorch = LoadedLibraries().FirstOrDefault(p => Path.GetFileName(p).StartsWith("libtorch_cpu.so", StringComparison.Ordinal));
                string? boundSharp = LoadedLibraries().FirstOrDefault(p => Path.GetFileName(p) == "libLibTorchSharp.so");
                if (boundTorch is not null && boundSharp is not null && Path.GetDirectoryName(boundTorch) != Path.GetDirectoryName(boundSharp))
                {
                    found.Add($"libLibTorchSharp.so ({boundSharp}) is bound to {boundTorch}, not to the LibTorch it ships with. "
                              + $"Fix: reference libtorch-cpu-* {ShippedLibTorch} so that libtorch_cpu.so sits next to libLibTorchSharp.so.");
                }
            }

            bool cuda = torch.cuda.is_available();
            Line("CUDA", cuda ? $"available, {torch.cuda.device_count()} GPU(s)" : "no CUDA backend or no GPU (CPU runtime)");
            Line("threads", $"intra-op {torch.get_num_threads()}, inter-op {torch.get_num_interop_threads()}, {Environment.ProcessorCount} logical processors");
        }

        problems = found;
        sb.Append(found.Count == 0 ? "no problem found\n" : string.Concat(found.Select(p => "PROBLEM: " + p + "\n")));
        return sb.ToString();
    }

    private static string? FindInApp(string file)
    {
        string rid = RuntimeInformation.RuntimeIdentifier;
        string[] dirs =
        [
            AppContext.BaseDirectory,
            Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", rid.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64", "native"),
        ];
        return dirs.Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);
    }

    private static string? SystemLibTorch()
    {
        var dirs = new List<string>();
        if (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") is { Length: > 0 } ld)
        {
            dirs.AddRange(ld.Split(':', StringSplitOptions.RemoveEmptyEntries));
        }

        dirs.AddRange(["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"]);
        foreach (string dir in dirs)
        {
            string path = Path.Combine(dir, "libtorch_cpu.so");
            if (File.Exists(path))
            {
                FileSystemInfo? target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
                return target is null ? path : $"{path} → {target.FullName}";
            }
        }

        return null;
    }

    private static (string? Path, string? Level) Glibcxx()
    {
        string? path = new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            return (null, null);
        }

        string text = Encoding.ASCII.GetString(File.ReadAllBytes(path));
        int best = -1;
        foreach (Match m in GlibcxxVersion().Matches(text))
        {
            best = Math.Max(best, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        return (path, best < 0 ? null : "GLIBCXX_3.4." + best.ToString(CultureInfo.InvariantCulture));
    }

    private static IReadOnlyList<string> LoadedLibraries()
    {
        try
        {
            return [.. File.ReadLines("/proc/self/maps")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(p => p.Length >= 6)
                .Select(p => p[5])
                .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("libtorch", StringComparison.Ordinal) || n.StartsWith("libLibTorchSharp", StringComparison.Ordinal)
                                                              || n.StartsWith("libc10", StringComparison.Ordinal) || n.StartsWith("libstdc++", StringComparison.Ordinal)))
                .Distinct(StringComparer.Ordinal)];
        }
        catch (IOException)
        {
            return [];
        }
    }

    [GeneratedRegex(@"GLIBCXX_3\.4\.(\d+)")]
    private static partial Regex GlibcxxVersion();
}
