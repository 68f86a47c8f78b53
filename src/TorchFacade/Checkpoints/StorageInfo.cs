using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade;

/// <summary>A tensor's storage: its base address and size in bytes (<c>t.untyped_storage().data_ptr()</c> / <c>nbytes()</c>).</summary>
internal static partial class StorageInfo
{
    [LibraryImport("LibTorchSharp", EntryPoint = "THSStorage_data_ptr")]
    private static partial IntPtr StorageData(IntPtr tensor);

    [LibraryImport("LibTorchSharp", EntryPoint = "THSStorage_nbytes")]
    private static partial long StorageBytes(IntPtr tensor);

    /// <summary>The storage's first byte (identifies the storage: views of one storage share it).</summary>
    internal static IntPtr Base(torch.Tensor t) => StorageData(t.Handle);

    /// <summary>The storage's size in bytes.</summary>
    internal static long Bytes(torch.Tensor t) => StorageBytes(t.Handle);
}
