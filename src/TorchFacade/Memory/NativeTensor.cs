using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Direct calls into TorchSharp's native shim (<c>LibTorchSharp</c>) for the cheap metadata reads the facade validates
/// with. Each is a field read inside LibTorch wrapped in a C++ try/catch (no exception can cross into .NET), so they are
/// declared with <see cref="SuppressGCTransitionAttribute"/> to keep the facade's checks within a few nanoseconds.
/// </summary>
internal static partial class NativeTensor
{
    private const string Shim = "LibTorchSharp";

    [LibraryImport(Shim, EntryPoint = "THSTensor_numel")]
    [SuppressGCTransition]
    private static partial long Numel(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSTensor_ndimension")]
    [SuppressGCTransition]
    private static partial long NDimension(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSTensor_size")]
    [SuppressGCTransition]
    private static partial long Size(IntPtr tensor, long dim);

    [LibraryImport(Shim, EntryPoint = "THSTensor_stride")]
    [SuppressGCTransition]
    private static partial long Stride(IntPtr tensor, long dim);

    [LibraryImport(Shim, EntryPoint = "THSTensor_is_contiguous")]
    [SuppressGCTransition]
    private static partial byte IsContiguous(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSTensor_data")]
    [SuppressGCTransition]
    private static partial IntPtr Data(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSStorage_data_ptr")]
    [SuppressGCTransition]
    private static partial IntPtr StorageData(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSTensor_requires_grad")]
    [SuppressGCTransition]
    private static partial byte RequiresGrad(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSTensor_is_leaf")]
    [SuppressGCTransition]
    private static partial byte IsLeaf(IntPtr tensor);

    /// <summary>Number of elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long NumelOf(torch.Tensor t) => Numel(t.Handle);

    /// <summary>Number of dimensions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int DimOf(torch.Tensor t) => (int)NDimension(t.Handle);

    /// <summary>Whether the tensor is contiguous in row-major order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsContiguousOf(torch.Tensor t) => IsContiguous(t.Handle) != 0;

    /// <summary>Address of the first element (<c>data_ptr()</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static IntPtr DataOf(torch.Tensor t) => Data(t.Handle);

    /// <summary>Address of the storage's first byte (<c>untyped_storage().data_ptr()</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static IntPtr StorageDataOf(torch.Tensor t) => StorageData(t.Handle);

    /// <summary>Whether the tensor requires grad.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool RequiresGradOf(torch.Tensor t) => RequiresGrad(t.Handle) != 0;

    /// <summary>Whether the tensor is a leaf of the autograd graph.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsLeafOf(torch.Tensor t) => IsLeaf(t.Handle) != 0;

    /// <summary>The shape, read dimension by dimension (TorchSharp's <c>shape</c> allocates through a callback).</summary>
    internal static long[] ShapeOf(torch.Tensor t)
    {
        IntPtr handle = t.Handle;
        var shape = new long[NDimension(handle)];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = Size(handle, i);
        }

        return shape;
    }

    /// <summary>The strides in elements.</summary>
    internal static long[] StridesOf(torch.Tensor t)
    {
        IntPtr handle = t.Handle;
        var strides = new long[NDimension(handle)];
        for (int i = 0; i < strides.Length; i++)
        {
            strides[i] = Stride(handle, i);
        }

        return strides;
    }
}
