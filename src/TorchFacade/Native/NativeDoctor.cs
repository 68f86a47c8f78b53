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
    /// The problem of a LibTorch other than the one this application ships that the dynamic loader would bind for
    /// libLibTorchSharp.so, predicted before anything is loaded: a folder on <c>LD_LIBRARY_PATH</c> holding a
    /// <c>libtorch_cpu.so</c> (for example <c>/usr/lib/python3/dist-packages/torch/lib</c>, Debian's <c>python3-torch</c>),
    /// which the loader searches before libLibTorchSharp.so's own folder even when the application ships LibTorch; or,
    /// when the application ships none, a <c>libtorch_cpu.so</c> in the system's library folders (Debian's
    /// <c>libtorch-dev</c>). TorchSharp 0.107.0 would then run on a LibTorch it was not built for, and the first function
    /// whose symbol that LibTorch lacks ends the process ("symbol lookup error"), which no handler can catch.
    /// <see langword="null"/> when there is none, off Linux, and when the application ships no LibTorch and the system
    /// has none either (TorchSharp then looks for one in the NuGet package cache, or reports that it found none).
    /// </summary>
    /// <returns>The problem and its fix, or <see langword="null"/>.</returns>
    public static string? ShadowingProblem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string? sharp = FindInApp("libLibTorchSharp.so");
        return PredictShadowing(
            sharp is null ? null : Path.GetDirectoryName(sharp),
            FindInApp("libtorch_cpu.so") is not null,
            LibraryPathFolders(),
            SystemLibraryFolders,
            LinuxRid);
    }

    /// <summary>
    /// The loader's choice of <c>libtorch_cpu.so</c> for a libLibTorchSharp.so in <paramref name="sharpFolder"/> (its
    /// RUNPATH is <c>$ORIGIN</c>, which the loader searches after <c>LD_LIBRARY_PATH</c> and before the system folders), as
    /// a problem with its fix, or <see langword="null"/> when it is the application's own (internal for tests).
    /// </summary>
    /// <param name="sharpFolder">The folder of the application's libLibTorchSharp.so (<see langword="null"/>: none, nothing to predict).</param>
    /// <param name="appShipsLibTorch">Whether the application has a libtorch_cpu.so of its own.</param>
    /// <param name="libraryPath">The folders of <c>LD_LIBRARY_PATH</c>, in order.</param>
    /// <param name="systemFolders">The system's library folders.</param>
    /// <param name="rid">linux-x64 or linux-arm64, for the package name in the fix.</param>
    /// <returns>The problem and its fix, or <see langword="null"/>.</returns>
    internal static string? PredictShadowing(string? sharpFolder, bool appShipsLibTorch, IReadOnlyList<string> libraryPath, IReadOnlyList<string> systemFolders, string rid)
    {
        if (sharpFolder is null)
        {
            return null;
        }

        string own = Path.Combine(sharpFolder, "libtorch_cpu.so");
        string? ownResolved = File.Exists(own) ? Resolve(own) : null;
        foreach (string folder in libraryPath)
        {
            string candidate = Path.Combine(folder, "libtorch_cpu.so");
            if (!File.Exists(candidate))
            {
                continue;
            }

            string resolved = Resolve(candidate);
            if (ownResolved is not null && string.Equals(resolved, ownResolved, StringComparison.Ordinal))
            {
                return null; // LD_LIBRARY_PATH names the application's own LibTorch first: that is what binds
            }

            return $"TorchFacade: LD_LIBRARY_PATH holds {folder}, whose libtorch_cpu.so ({Describe(candidate, resolved)}) the dynamic loader "
                   + $"binds for libLibTorchSharp.so before {(appShipsLibTorch ? "the LibTorch this application ships" : "any other")} (it searches LD_LIBRARY_PATH before "
                   + $"libLibTorchSharp.so's own folder, {sharpFolder}): TorchSharp 0.107.0 was built for LibTorch {ShippedLibTorch}, and the first function whose "
                   + "symbol that LibTorch lacks ends the process with \"symbol lookup error\". "
                   + $"Fix: run this application without that folder on LD_LIBRARY_PATH (for example 'env -u LD_LIBRARY_PATH dotnet app.dll', or set it without {folder})"
                   + (appShipsLibTorch ? "." : $", and reference <PackageReference Include=\"libtorch-cpu-{rid}\" Version=\"{ShippedLibTorch}\" />.");
        }

        if (appShipsLibTorch)
        {
            return null;
        }

        foreach (string folder in systemFolders)
        {
            string candidate = Path.Combine(folder, "libtorch_cpu.so");
            if (File.Exists(candidate))
            {
                return "TorchFacade: this application ships TorchSharp's libLibTorchSharp.so but no LibTorch next to it ("
                       + sharpFolder + " has no libtorch_cpu.so), "
                       + $"so the dynamic loader would bind the system's {Describe(candidate, Resolve(candidate))} instead of the LibTorch {ShippedLibTorch} TorchSharp 0.107.0 was built for: "
                       + "the first function whose symbol that LibTorch lacks ends the process with \"symbol lookup error: ... libLibTorchSharp.so: undefined symbol\"."
                       + $" Fix: reference LibTorch's runtime package, <PackageReference Include=\"libtorch-cpu-{rid}\" Version=\"{ShippedLibTorch}\" /> "
                       + "(or TorchSharp-cpu, or TorchSharp-cuda-linux for CUDA), and rebuild.";
            }
        }

        return null;
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

                if (BindingProblem(LoadedLibraries()) is { } binding)
                {
                    found.Add(binding);
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

    /// <summary>After loading: a libLibTorchSharp.so bound to a LibTorch outside its own folder, or an application that ships none.</summary>
    private static string? BindingProblem(IReadOnlyList<string> loaded)
    {
        string? boundTorch = loaded.FirstOrDefault(p => Path.GetFileName(p).StartsWith("libtorch_cpu.so", StringComparison.Ordinal));
        string? boundSharp = loaded.FirstOrDefault(p => Path.GetFileName(p) == "libLibTorchSharp.so");
        if (boundTorch is null || boundSharp is null)
        {
            return null;
        }

        string? torchFolder = Path.GetDirectoryName(boundTorch);
        if (FindInApp("libtorch_cpu.so") is null && boundTorch.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal))
        {
            return $"this application ships no LibTorch: it ran here only because TorchSharp 0.107.0 found one and loaded it from {torchFolder} "
                   + "(when the application has none, TorchSharp copies LibTorch out of the NuGet package cache), which a machine without that cache lacks. "
                   + $"Fix: reference <PackageReference Include=\"libtorch-cpu-{LinuxRid}\" Version=\"{ShippedLibTorch}\" /> and rebuild.";
        }

        if (torchFolder != Path.GetDirectoryName(boundSharp))
        {
            bool viaLibraryPath = LibraryPathFolders().Any(f => File.Exists(Path.Combine(f, "libtorch_cpu.so")) && Resolve(Path.Combine(f, "libtorch_cpu.so")) == Resolve(boundTorch));
            return $"libLibTorchSharp.so ({boundSharp}) is bound to {Describe(boundTorch, Resolve(boundTorch))}, not to the LibTorch {ShippedLibTorch} it ships with. "
                   + (viaLibraryPath
                       ? "Fix: run this application without that folder on LD_LIBRARY_PATH (the loader searches it first)."
                       : $"Fix: reference libtorch-cpu-* {ShippedLibTorch} so that libtorch_cpu.so sits next to libLibTorchSharp.so.");
        }

        return null;
    }

    /// <summary>linux-arm64 or linux-x64: the runtime identifier in LibTorch's package names.</summary>
    private static string LinuxRid => RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64";

    private static string? FindInApp(string file)
    {
        string rid = RuntimeInformation.RuntimeIdentifier;
        string[] dirs =
        [
            AppContext.BaseDirectory,
            Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", LinuxRid, "native"),
        ];
        return dirs.Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);
    }

    private static readonly string[] SystemLibraryFolders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];

    private static string[] LibraryPathFolders() =>
        Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") is { Length: > 0 } ld ? ld.Split(':', StringSplitOptions.RemoveEmptyEntries) : [];

    private static string? SystemLibTorch()
    {
        foreach (string dir in LibraryPathFolders().Concat(SystemLibraryFolders))
        {
            string path = Path.Combine(dir, "libtorch_cpu.so");
            if (File.Exists(path))
            {
                return Describe(path, Resolve(path));
            }
        }

        return null;
    }

    /// <summary>The file a path finally names, every symbolic link along it followed (as realpath(3) does).</summary>
    private static string Resolve(string path)
    {
        string current = Path.GetFullPath(path);
        for (int round = 0; round < 8; round++)
        {
            string resolved = Path.GetPathRoot(current) ?? "/";
            foreach (string part in current[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
            {
                string next = Path.Combine(resolved, part);
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                try
                {
                    resolved = info.LinkTarget is null ? next : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next;
                }
                catch (IOException)
                {
                    resolved = next;
                }
            }

            if (string.Equals(resolved, current, StringComparison.Ordinal))
            {
                break;
            }

            current = resolved;
        }

        return current;
    }

    /// <summary><c>path → target, LibTorch 2.6.0</c>: the version read from a versioned file name (<c>libtorch_cpu.so.2.6.0</c>).</summary>
    private static string Describe(string path, string resolved)
    {
        string text = string.Equals(resolved, Path.GetFullPath(path), StringComparison.Ordinal) ? path : $"{path} → {resolved}";
        Match version = VersionedSoname().Match(Path.GetFileName(resolved));
        return version.Success ? $"{text}, LibTorch {version.Groups[1].Value}" : text;
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

    [GeneratedRegex(@"\.so\.(\d+\.\d+(?:\.\d+)?)$")]
    private static partial Regex VersionedSoname();
}
