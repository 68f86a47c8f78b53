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

    [LibraryImport(Shim, EntryPoint = "THSTorch_get_and_reset_last_err")]
    [SuppressGCTransition]
    private static partial IntPtr TakeLastError();

    [LibraryImport(Shim, EntryPoint = "THSTensor_device_type")]
    [SuppressGCTransition]
    private static partial int DeviceTypeNative(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSTensor_is_sparse")]
    [SuppressGCTransition]
    private static partial byte IsSparse(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSTensor_requires_grad")]
    [SuppressGCTransition]
    private static partial byte RequiresGrad(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSTensor_is_leaf")]
    [SuppressGCTransition]
    private static partial byte IsLeaf(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSTensor_type")]
    [SuppressGCTransition]
    private static partial sbyte ScalarType(IntPtr tensor);

    [LibraryImport(Shim, EntryPoint = "THSAutograd_isGradEnabled")]
    [SuppressGCTransition]
    private static partial byte GradEnabled();

    [LibraryImport(Shim, EntryPoint = "THSAutograd_setGrad")]
    [SuppressGCTransition]
    private static partial void SetGrad(byte enabled);

    [LibraryImport(Shim, EntryPoint = "THSAutograd_getInferenceModeGuard")]
    private static partial IntPtr NewInferenceModeGuard(byte mode);

    [LibraryImport(Shim, EntryPoint = "THSAutograd_deleteInferenceModeGuard")]
    private static partial void DeleteInferenceModeGuard(IntPtr guard);

    /// <summary>
    /// Opens a <c>c10::InferenceMode</c> guard on this thread (LibTorch's RAII guard: it sets this thread's autograd and
    /// dispatch-key state and restores them when deleted). Must be deleted, with <see cref="ExitInferenceMode"/>, on the
    /// same thread; TorchSharp's own wrapper would delete it from the finalizer thread if it were ever lost.
    /// </summary>
    /// <returns>The guard.</returns>
    internal static IntPtr EnterInferenceMode() => NewInferenceModeGuard(1);

    /// <summary>Deletes a guard from <see cref="EnterInferenceMode"/> on the thread that opened it.</summary>
    /// <param name="guard">The guard.</param>
    internal static void ExitInferenceMode(IntPtr guard) => DeleteInferenceModeGuard(guard);

    /// <summary>The dtype.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static torch.ScalarType DTypeOf(torch.Tensor t) => (torch.ScalarType)ScalarType(t.Handle);

    /// <summary>Whether this thread records operations for autograd (<c>torch.is_grad_enabled()</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsGradEnabled() => GradEnabled() != 0;

    /// <summary>Switches this thread's grad mode (<c>torch.set_grad_enabled</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SetGradEnabled(bool enabled) => SetGrad(enabled ? (byte)1 : (byte)0);

    /// <summary>
    /// Whether <paramref name="source"/>'s shape broadcasts to <paramref name="target"/>'s (one-directional, as in
    /// <c>copy_</c>), read size by size without allocating.
    /// </summary>
    internal static bool BroadcastsTo(torch.Tensor source, torch.Tensor target)
    {
        IntPtr s = source.Handle;
        IntPtr d = target.Handle;
        long sourceDims = NDimension(s);
        long targetDims = NDimension(d);
        long extra = sourceDims - targetDims;
        for (long i = 0; i < sourceDims; i++)
        {
            long size = Size(s, i);
            if (size == 1)
            {
                continue;
            }

            if (i < extra || size != Size(d, i - extra))
            {
                return false;
            }
        }

        return true;
    }

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

    /// <summary>
    /// Address of the storage's first byte (<c>untyped_storage().data_ptr()</c>). TorchSharp's <c>THSStorage_data_ptr</c>
    /// has no C++ <c>try</c>: on a tensor without storage (sparse, nested, MKL-DNN) LibTorch's throw aborts the process,
    /// so callers check <see cref="StorageErrorOf"/> first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static IntPtr StorageDataOf(torch.Tensor t) => StorageData(t.Handle);

    /// <summary>
    /// <see langword="null"/> when the tensor has storage (a strided tensor: dense, quantized, or on the meta device), else
    /// LibTorch's own error for reaching its memory (for example "Cannot access data pointer of Tensor that doesn't have
    /// storage" for a sparse tensor). Asks <c>data_ptr()</c>, which TorchSharp wraps in a C++ <c>try</c>.
    /// </summary>
    internal static string? StorageErrorOf(torch.Tensor t)
    {
        IntPtr handle = t.Handle;
        _ = TakeLastError();
        _ = Data(handle);
        IntPtr error = TakeLastError();
        return error == IntPtr.Zero ? null : (Marshal.PtrToStringUTF8(error) ?? "LibTorch cannot reach this tensor's memory");
    }

    /// <summary>The device type (TorchSharp's <c>device_type</c>, read without allocating a device object).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static DeviceType DeviceTypeOf(torch.Tensor t) => (DeviceType)DeviceTypeNative(t.Handle);

    /// <summary>Whether the tensor has the sparse COO layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsSparseOf(torch.Tensor t) => IsSparse(t.Handle) != 0;

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
