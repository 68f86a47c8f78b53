using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Reads a tensor's autograd node name straight from LibTorch, which TorchSharp does not expose. LibTorch exports
/// <c>at::TensorBase::grad_fn() const</c> (returns <c>const std::shared_ptr&lt;Node&gt;&amp;</c>) and
/// <c>torch::autograd::Node::name() const</c> (returns <c>std::string</c>); TorchSharp's <c>Tensor.Handle</c> points at an
/// <c>at::Tensor</c>. Linux x64 only (Itanium C++ ABI with System V calling convention, libstdc++'s <c>std::string</c>).
/// </summary>
/// <remarks>
/// <para>The exports are resolved once. <c>Node::name()</c> is virtual: generated nodes override it to return their
/// own name. Its slot is found by looking up the base implementation's address in <c>Node</c>'s exported vtable, and the
/// call goes through the node's own vtable, exactly as C++ would. If the vtable cannot be read, the base implementation
/// is called directly: it returns <c>c10::demangle(typeid(*this).name())</c> (e.g.
/// <c>torch::autograd::generated::MulBackward0</c>), reduced to the class name.</para>
/// <para>A libstdc++ <c>std::string</c> is returned through a hidden pointer (first argument, before <c>this</c>) into
/// 32 bytes: <c>{ char* data; size_t length; union { char local[16]; size_t capacity; } }</c>. When <c>data</c> does
/// not point at <c>local</c> the buffer is on the heap and is released with <c>operator delete(void*)</c>.</para>
/// </remarks>
internal static unsafe class GradFnNative
{
    private const string GradFnSymbol = "_ZNK2at10TensorBase7grad_fnEv";
    private const string NameSymbol = "_ZNK5torch8autograd4Node4nameB5cxx11Ev";
    private const string NodeVtableSymbol = "_ZTVN5torch8autograd4NodeE";
    private const string OperatorDeleteSymbol = "_ZdlPv";
    private const int MaxVtableSlots = 32;

    private static readonly Exports? Resolved = Resolve();

    /// <summary>The vtable slot of <c>Node::name()</c>, or -1 when the base implementation is called instead.</summary>
    internal static int NameSlot => Resolved?.NameSlot ?? -1;

    /// <summary>Whether node names can be read on this platform.</summary>
    internal static bool IsSupported => Resolved is not null;

    /// <summary>Why node names cannot be read here, or null when they can.</summary>
    internal static string? UnsupportedReason { get; private set; }

    /// <summary>
    /// The tensor's node: <c>(true, name)</c> when it has one, <c>(false, null)</c> for leaves and tensors outside a
    /// graph. Falls back to <c>requires_grad &amp;&amp; !is_leaf</c> with a null name where the exports are unavailable.
    /// </summary>
    /// <param name="t">A live tensor.</param>
    /// <param name="viaBaseImplementation">Call <c>Node::name()</c>'s base implementation instead of the virtual (tests compare both).</param>
    internal static (bool HasNode, string? Name) Read(torch.Tensor t, bool viaBaseImplementation = false)
    {
        if (Resolved is not { } exports)
        {
            return (NativeTensor.RequiresGradOf(t) && !NativeTensor.IsLeafOf(t), null);
        }

        IntPtr* sharedPtr = (IntPtr*)exports.GradFn(t.Handle);
        IntPtr node = sharedPtr == null ? IntPtr.Zero : sharedPtr[0];
        if (node == IntPtr.Zero)
        {
            return (false, null);
        }

        return (true, NameOf(node, viaBaseImplementation));
    }

    /// <summary>
    /// The name of a live node: a custom function's registered name (<c>LegendrePolynomial3Backward</c>), else LibTorch's
    /// own (<c>Node::name()</c>, virtual), or <see langword="null"/> where the exports are unavailable.
    /// </summary>
    /// <param name="node">A <c>torch::autograd::Node*</c> kept alive by the caller.</param>
    /// <param name="viaBaseImplementation">Call <c>Node::name()</c>'s base implementation instead of the virtual.</param>
    internal static string? NameOf(IntPtr node, bool viaBaseImplementation = false)
    {
        if (Resolved is not { } exports)
        {
            return null;
        }

        if (!viaBaseImplementation && CustomNodeNames.TryGet(node, out string? custom))
        {
            return custom;
        }

        byte* result = stackalloc byte[32];
        if (exports.NameSlot >= 0 && !viaBaseImplementation)
        {
            IntPtr* vtable = *(IntPtr**)node;
            ((delegate* unmanaged<byte*, IntPtr, IntPtr>)vtable[exports.NameSlot])(result, node);
            // Generated nodes return their short name; nodes that keep the base name() return a qualified one.
            return ClassName(TakeString(result, exports));
        }

        ((delegate* unmanaged<byte*, IntPtr, IntPtr>)exports.BaseName)(result, node);
        return ClassName(TakeString(result, exports));
    }

    private static string TakeString(byte* result, Exports exports)
    {
        byte* data = *(byte**)result;
        long length = *(long*)(result + 8);
        string text = Encoding.UTF8.GetString(data, checked((int)length));
        if (data != result + 16)
        {
            exports.OperatorDelete((IntPtr)data);
        }

        return text;
    }

    /// <summary>The class name without namespaces (<c>torch::autograd::generated::MulBackward0</c> → <c>MulBackward0</c>), as Python's <c>type(grad_fn).__name__</c>.</summary>
    private static string ClassName(string qualified)
    {
        int template = qualified.IndexOf('<', StringComparison.Ordinal);
        string head = template < 0 ? qualified : qualified[..template];
        int scope = head.LastIndexOf("::", StringComparison.Ordinal);
        return scope < 0 ? qualified : qualified[(scope + 2)..];
    }

    private static Exports? Resolve()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            UnsupportedReason = "GradFn.Name is read through LibTorch's C++ ABI, supported on Linux x64 only; here it is null.";
            return null;
        }

        try
        {
            NativeRuntime.EnsureAvailable();
            if (!TryLoadLibTorch(out IntPtr torchCpu)
                || !NativeLibrary.TryGetExport(torchCpu, GradFnSymbol, out IntPtr gradFn)
                || !NativeLibrary.TryGetExport(torchCpu, NameSymbol, out IntPtr baseName))
            {
                UnsupportedReason = "libtorch_cpu does not export at::TensorBase::grad_fn / torch::autograd::Node::name; GradFn.Name is null.";
                return null;
            }

            if (!NativeLibrary.TryLoad("libstdc++.so.6", out IntPtr libstdcxx)
                || !NativeLibrary.TryGetExport(libstdcxx, OperatorDeleteSymbol, out IntPtr operatorDelete))
            {
                UnsupportedReason = "libstdc++'s operator delete could not be resolved; GradFn.Name is null.";
                return null;
            }

            int slot = -1;
            if (NativeLibrary.TryGetExport(torchCpu, NodeVtableSymbol, out IntPtr vtableSymbol))
            {
                // An Itanium vtable symbol starts with offset-to-top and the type_info pointer; the slots follow.
                IntPtr* slots = (IntPtr*)vtableSymbol + 2;
                for (int i = 0; i < MaxVtableSlots; i++)
                {
                    if (slots[i] == baseName)
                    {
                        slot = i;
                        break;
                    }
                }
            }

            return new Exports(
                (delegate* unmanaged<IntPtr, IntPtr>)gradFn,
                baseName,
                (delegate* unmanaged<IntPtr, void>)operatorDelete,
                slot);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                   or NativeRuntimeUnavailableException)
        {
            UnsupportedReason = "LibTorch's exports could not be resolved (" + ex.Message + "); GradFn.Name is null.";
            return null;
        }
    }

    internal static bool TryLoadLibTorch(out IntPtr handle)
    {
        // Already loaded by TorchSharp: dlopen by soname finds the loaded copy.
        if (NativeLibrary.TryLoad("libtorch_cpu.so", out handle))
        {
            return true;
        }

        string? dir = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        foreach (string candidate in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "libtorch_cpu.so"),
                     Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libtorch_cpu.so"),
                     dir is null ? string.Empty : Path.Combine(dir, "libtorch_cpu.so"),
                 })
        {
            if (candidate.Length > 0 && NativeLibrary.TryLoad(candidate, out handle))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Exports(
        delegate* unmanaged<IntPtr, IntPtr> gradFn,
        IntPtr baseName,
        delegate* unmanaged<IntPtr, void> operatorDelete,
        int nameSlot)
    {
        internal delegate* unmanaged<IntPtr, IntPtr> GradFn { get; } = gradFn;

        internal IntPtr BaseName { get; } = baseName;

        internal delegate* unmanaged<IntPtr, void> OperatorDelete { get; } = operatorDelete;

        internal int NameSlot { get; } = nameSlot;
    }
}
