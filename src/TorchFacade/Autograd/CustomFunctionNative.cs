using System.Runtime.InteropServices;

namespace TorchFacade;

/// <summary>
/// TorchSharp's native custom-function node (<c>CSharpNode</c> in LibTorchSharp) called directly, so that the facade
/// owns its callbacks: every callback catches all exceptions (nothing unwinds into LibTorch), the node's release is
/// observed (its PyTorch name is forgotten then), and the arrays handed to LibTorch stay alive as long as it reads them.
/// All entry points below wrap their C++ body in a <c>try</c>; errors are read back with <see cref="TakeError"/>.
/// </summary>
internal static unsafe class CustomFunctionNative
{
    private const string Shim = "LibTorchSharp";
    private const string KeepGraphSymbol = "_ZN5torch8autograd33get_current_graph_task_keep_graphEv";

    [ThreadStatic]
    private static IntPtr allocated;

    [ThreadStatic]
    private static long allocatedLength;

    private static readonly Lazy<IntPtr> KeepGraphExport = new(ResolveKeepGraph, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The callback LibTorch calls to run the node's backward: gradients in (new <c>at::Tensor*</c> each, null for undefined), gradients out.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate TensorArray ApplyCallback(IntPtr tensors, int size);

    /// <summary>The callback LibTorch calls just before it frees the node.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void DeleteCallback();

    [DllImport(Shim, EntryPoint = "THSAutograd_CSharpNode_ctor")]
    internal static extern NodePtr Create(IntPtr applyFunc, IntPtr managedDeleteNode);

    [DllImport(Shim, EntryPoint = "THSAutograd_CSharpNode_disposeSharedPtr")]
    internal static extern void DisposeSharedPtr(NodePtr node);

    [DllImport(Shim, EntryPoint = "THSAutograd_CSharpNode_disposeWeakPtr")]
    internal static extern void DisposeWeakPtr(NodePtr node);

    [DllImport(Shim, EntryPoint = "THSAutograd_CSharpNode_setNextEdges")]
    internal static extern void SetNextEdges(NodePtr node, TensorArray vars, [MarshalAs(UnmanagedType.U1)] bool isExecutable);

    [DllImport(Shim, EntryPoint = "THSAutograd_CSharpNode_clearInputMetadata")]
    internal static extern void ClearInputMetadata(NodePtr node);

    [DllImport(Shim, EntryPoint = "THSAutograd_Function_wrapOutputs")]
    private static extern void WrapOutputsNative(TensorArray vars, TensorArray nonDiff, TensorArray dirty, TensorArray outputs, NodePtr node, IntPtr allocator);

    [DllImport(Shim, EntryPoint = "THSAutograd_SavedVariable_ctor")]
    internal static extern IntPtr SaveVariable(IntPtr tensor, NodePtr node, [MarshalAs(UnmanagedType.U1)] bool isInplaceOnView);

    [DllImport(Shim, EntryPoint = "THSAutograd_SavedVariable_dispose")]
    internal static extern void DisposeSavedVariable(IntPtr saved);

    [DllImport(Shim, EntryPoint = "THSAutograd_SavedVariable_unpack")]
    internal static extern IntPtr UnpackSavedVariable(IntPtr saved, NodePtr savedFor);

    [DllImport(Shim, EntryPoint = "THSAutograd_SavedVariable_reset_data")]
    internal static extern void ResetSavedVariable(IntPtr saved);

    [DllImport(Shim, EntryPoint = "THSTorch_get_and_reset_last_err")]
    private static extern IntPtr LastError();

    /// <summary>LibTorch's error of the last call on this thread (and resets it), or <see langword="null"/>.</summary>
    internal static string? TakeError()
    {
        IntPtr message = LastError();
        return message == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(message) ?? "no message from LibTorch";
    }

    /// <summary>
    /// LibTorch's <c>_wrap_outputs</c>: attaches the outputs to <paramref name="node"/> (a zero node when the call is not
    /// recorded), bumps the versions of the dirty inputs, makes views of inputs returned unmodified and marks the
    /// non-differentiable outputs. Returns the handles of the wrapped outputs (new <c>at::Tensor*</c>, zero for undefined).
    /// </summary>
    internal static IntPtr[] WrapOutputs(IntPtr[] inputs, IntPtr[] nonDifferentiable, IntPtr[] dirty, IntPtr[] outputs, NodePtr node, out string? error)
    {
        fixed (IntPtr* pInputs = inputs, pNonDiff = nonDifferentiable, pDirty = dirty, pOutputs = outputs)
        {
            allocated = IntPtr.Zero;
            allocatedLength = 0;
            WrapOutputsNative(
                new TensorArray(pInputs, inputs.Length),
                new TensorArray(pNonDiff, nonDifferentiable.Length),
                new TensorArray(pDirty, dirty.Length),
                new TensorArray(pOutputs, outputs.Length),
                node,
                (IntPtr)(delegate* unmanaged<nuint, IntPtr>)&Allocate);
            error = TakeError();
            IntPtr buffer = allocated;
            var result = new IntPtr[buffer == IntPtr.Zero ? 0 : allocatedLength];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = ((IntPtr*)buffer)[i];
            }

            allocated = IntPtr.Zero;
            NativeMemory.Free((void*)buffer);
            return result;
        }
    }

    /// <summary>
    /// Whether the backward pass running on this thread keeps the graph (<c>retain_graph</c>), read from LibTorch's
    /// <c>get_current_graph_task_keep_graph()</c>; <see langword="true"/> where that cannot be read (nothing is freed then).
    /// </summary>
    internal static bool CurrentPassKeepsGraph()
    {
        IntPtr export = KeepGraphExport.Value;
        return export == IntPtr.Zero || ((delegate* unmanaged<byte>)export)() != 0;
    }

    [UnmanagedCallersOnly]
    private static IntPtr Allocate(nuint length)
    {
        IntPtr buffer = (IntPtr)NativeMemory.AllocZeroed(Math.Max(length, 1), (nuint)sizeof(IntPtr));
        allocated = buffer;
        allocatedLength = (long)length;
        return buffer;
    }

    private static IntPtr ResolveKeepGraph()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return IntPtr.Zero;
        }

        try
        {
            return GradFnNative.TryLoadLibTorch(out IntPtr torchCpu) && NativeLibrary.TryGetExport(torchCpu, KeepGraphSymbol, out IntPtr export)
                ? export
                : IntPtr.Zero;
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            return IntPtr.Zero;
        }
    }

    /// <summary>LibTorchSharp's <c>CSharpNodePtr</c>: a heap <c>std::shared_ptr</c> and <c>std::weak_ptr</c> to the node.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly struct NodePtr(IntPtr sharedPtr, IntPtr weakPtr)
    {
        /// <summary>The <c>std::shared_ptr&lt;CSharpNode&gt;*</c> (zero once handed to the graph).</summary>
        internal IntPtr SharedPtr { get; } = sharedPtr;

        /// <summary>The <c>std::weak_ptr&lt;CSharpNode&gt;*</c>.</summary>
        internal IntPtr WeakPtr { get; } = weakPtr;

        /// <summary>The node's address (the <c>Node*</c> <c>grad_fn()</c> returns), read from the shared pointer.</summary>
        internal IntPtr Address => SharedPtr == IntPtr.Zero ? IntPtr.Zero : *(IntPtr*)SharedPtr;

        /// <summary>This node without its shared pointer (what remains after the graph took ownership).</summary>
        internal NodePtr WeakOnly => new(IntPtr.Zero, WeakPtr);
    }

    /// <summary>LibTorchSharp's <c>TensorArray</c>: <c>{ at::Tensor** array; int64_t size; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal readonly struct TensorArray(IntPtr* array, long size)
    {
        /// <summary>The array of <c>at::Tensor*</c>.</summary>
        internal IntPtr* Array { get; } = array;

        /// <summary>Its length.</summary>
        internal long Size { get; } = size;
    }
}
