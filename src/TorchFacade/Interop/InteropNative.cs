using System.Runtime.InteropServices;

namespace TorchFacade;

/// <summary>
/// The two LibTorchSharp entry points the zero-copy interop needs and TorchSharp 0.107 does not expose publicly:
/// <c>torch::from_blob</c> with a deleter callback (<c>THSTensor_new</c>) and <c>tensor.data_ptr()</c>
/// (<c>THSTensor_data</c>). TorchSharp's own <c>torch.tensor(T[])</c> and <c>torch.tensor(Memory&lt;T&gt;)</c>
/// overloads copy, so they cannot implement <c>torch.from_numpy</c>'s aliasing.
/// </summary>
internal static class InteropNative
{
    /// <summary>Called by LibTorch when the storage that aliases foreign memory dies (after its last view).</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void Deleter(IntPtr data);

    [DllImport("LibTorchSharp")]
    internal static extern IntPtr THSTensor_new(
        IntPtr data,
        Deleter deleter,
        IntPtr sizes,
        int sizeCount,
        sbyte scalarType,
        sbyte dtype,
        int deviceType,
        int deviceIndex,
        [MarshalAs(UnmanagedType.U1)] bool requiresGrad);

    [DllImport("LibTorchSharp")]
    internal static extern IntPtr THSTensor_data(IntPtr handle);

    [DllImport("LibTorchSharp")]
    internal static extern IntPtr THSTorch_get_and_reset_last_err();

    /// <summary>LibTorch's last error message for this thread (and resets it), or a generic text.</summary>
    internal static string LastError()
    {
        IntPtr message = THSTorch_get_and_reset_last_err();
        return message == IntPtr.Zero ? "no message from LibTorch" : Marshal.PtrToStringUTF8(message) ?? "no message from LibTorch";
    }
}
