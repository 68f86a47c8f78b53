using System.Runtime.InteropServices;

namespace TorchFacade.Reference.Kernels;

/// <summary>
/// Transparent huge pages for the large fresh outputs of the managed kernels (Linux): a new 40 MB tensor costs about
/// ten thousand first-touch page faults at 4 KiB a page, as long as the kernel itself when the operation is cheap;
/// advising the 2 MiB-aligned interior of the buffer as <c>MADV_HUGEPAGE</c> before the first write makes that a few
/// dozen faults. This is what LibTorch's own allocator does when <c>THP_MEM_ALLOC_ENABLE=1</c> is set. The advice
/// changes only how the pages are backed, never their contents; where the system does not allow it (another OS,
/// THP set to <c>never</c>, the call failing) nothing happens.
/// </summary>
internal static unsafe partial class HugePages
{
    /// <summary>Buffers smaller than this (4 MiB) are left alone: they hold at most one whole huge page.</summary>
    public const long MinBytes = 4L << 20;

    private const long HugePageSize = 2L << 20;
    private const int MadvHugePage = 14;

    private static bool enabled = OperatingSystem.IsLinux() && SystemAllowsAdvice();

    /// <summary>Advises the whole 2 MiB pages inside <c>[start, start + bytes)</c> as huge pages, before they are first written.</summary>
    /// <param name="start">The buffer.</param>
    /// <param name="bytes">Its size in bytes.</param>
    public static void Advise(void* start, long bytes)
    {
        if (!enabled || bytes < MinBytes)
        {
            return;
        }

        long first = ((long)start + HugePageSize - 1) & ~(HugePageSize - 1);
        long end = ((long)start + bytes) & ~(HugePageSize - 1);
        if (end <= first)
        {
            return;
        }

        try
        {
            _ = MAdvise((nint)first, (nuint)(end - first), MadvHugePage);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            enabled = false;
        }
    }

    // "always" backs the buffer with huge pages already and "never" refuses them: only "madvise" needs the call.
    private static bool SystemAllowsAdvice()
    {
        try
        {
            return File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[madvise]", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int MAdvise(nint address, nuint length, int advice);
}
