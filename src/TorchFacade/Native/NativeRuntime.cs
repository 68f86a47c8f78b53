using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Checks, once per process, that LibTorch's native runtime can be loaded, and turns every way it can fail
/// into one <see cref="NativeRuntimeUnavailableException"/> that says why and what to run — instead of the
/// <see cref="TypeInitializationException"/> that TorchSharp surfaces on first use.
/// </summary>
public static class NativeRuntime
{
    /// <summary>The libstdc++ symbol version that TorchSharp 0.107.0's native library needs on Linux.</summary>
    public const string RequiredGlibcxx = "GLIBCXX_3.4.32";

    private static readonly Lazy<Exception?> LoadFailure = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary><see langword="true"/> when LibTorch loaded in this process; never throws.</summary>
    public static bool IsAvailable => LoadFailure.Value is null;

    /// <summary>The explanation of why the runtime is unavailable, or <see langword="null"/> when it loaded.</summary>
    public static string? FailureReason => LoadFailure.Value?.Message;

    /// <summary>
    /// Loads LibTorch if it is not loaded yet. Call it before the first tensor operation in a program that
    /// wants a clear error; the facade's entry points call it for you.
    /// </summary>
    /// <exception cref="NativeRuntimeUnavailableException">LibTorch cannot be loaded on this machine.</exception>
    public static void EnsureAvailable()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw failure;
        }
    }

    private static Exception? Probe()
    {
        string? glibcxxProblem = CheckLibStdCxx();
        if (glibcxxProblem is not null)
        {
            return new NativeRuntimeUnavailableException(glibcxxProblem);
        }

        // Another LibTorch that the loader would bind for libLibTorchSharp.so (one on LD_LIBRARY_PATH, or a system one when the
        // application ships none) runs TorchSharp on a LibTorch it was not built for, and the first missing symbol kills the
        // process ("symbol lookup error"), which no exception handler can catch: detect it before TorchSharp loads anything.
        if (NativeDoctor.ShadowingProblem() is { } shadowing)
        {
            return new NativeRuntimeUnavailableException(shadowing);
        }

        try
        {
            // Touching the torch class runs TorchSharp's native loader.
            torch.InitializeDeviceType(DeviceType.CPU);
            using var probe = torch.zeros(1);
            return null;
        }
        catch (Exception ex)
        {
            Exception root = Unwrap(ex);
            return new NativeRuntimeUnavailableException(Explain(root), root);
        }
    }

    private static Exception Unwrap(Exception ex)
    {
        while (ex is TypeInitializationException or System.Reflection.TargetInvocationException
               && ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    /// <summary>Turns a native load failure into the one message users see (internal for tests).</summary>
    internal static string Explain(Exception root)
    {
        string detail = root.Message;
        if (detail.Contains("GLIBCXX", StringComparison.Ordinal))
        {
            return GlibcxxMessage(detail);
        }

        if (root is DllNotFoundException || detail.Contains("libtorch", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("LibTorchSharp", StringComparison.OrdinalIgnoreCase))
        {
            return "TorchFacade: LibTorch's native runtime could not be loaded. Reference a runtime package for "
                   + "this platform (TorchSharp 0.107.0 with libtorch-cpu-linux-x64 / libtorch-cpu-win-x64 2.10.0, "
                   + "or TorchSharp-cuda-linux / TorchSharp-cuda-windows for CUDA); in this repository "
                   + "'./build.sh test' does it. Loader said: " + detail;
        }

        return "TorchFacade: LibTorch's native runtime failed to initialise: " + detail;
    }

    private static string GlibcxxMessage(string? detail) =>
        $"TorchFacade: TorchSharp 0.107.0's native library needs libstdc++ with {RequiredGlibcxx} (GCC 13 or newer), "
        + "which this machine lacks. On Debian 12 run 'sudo eng/native-prereqs.sh' (or './build.sh test', which runs it) "
        + "to install libstdc++6 from Debian 13 through your configured mirror; Ubuntu 24.04+, Debian 13+ and Windows need nothing."
        + (detail is null ? string.Empty : " Loader said: " + detail);

    /// <summary>Reads the system libstdc++ (Linux only) and reports a missing symbol version before any native load.</summary>
    private static string? CheckLibStdCxx()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string[] candidates =
        [
            "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        ];
        string? path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null; // unknown layout: let the loader speak for itself
        }

        try
        {
            byte[] needle = System.Text.Encoding.ASCII.GetBytes(RequiredGlibcxx);
            ReadOnlySpan<byte> bytes = File.ReadAllBytes(path);
            return bytes.IndexOf(needle) >= 0 ? null : GlibcxxMessage(null) + $" (checked {path})";
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
