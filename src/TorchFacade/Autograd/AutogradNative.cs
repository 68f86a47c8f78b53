using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// LibTorch's autograd internals that TorchSharp does not expose (version counter, <c>retains_grad</c>,
/// <c>is_inference</c>, the graph's edges, <c>AccumulateGrad::variable</c>, tensor hooks), reached through LibTorch's
/// exported C++ functions on Linux x64 (Itanium C++ ABI, System V calling convention, libstdc++).
/// </summary>
/// <remarks>
/// <para>Memory layouts used (LibTorch 2.10, checked at start-up against a small graph, see <see cref="Calibrate"/>):
/// a TorchSharp tensor handle points at an <c>at::Tensor</c>, which is one <c>c10::intrusive_ptr&lt;TensorImpl&gt;</c>;
/// <c>TensorImpl</c> starts with a vtable pointer followed by the 64-bit combined reference count (strong count in the
/// low 32 bits); a <c>std::shared_ptr</c> is <c>{ T* ptr; _Sp_counted_base* ctrl }</c> and the control block is
/// <c>{ vptr; int use_count; int weak_count }</c> with <c>_M_dispose</c>/<c>_M_destroy</c> in vtable slots 2 and 3;
/// an autograd <c>Edge</c> is <c>{ std::shared_ptr&lt;Node&gt; function; uint32_t input_nr }</c> (24 bytes) and a node's
/// <c>next_edges_</c> is a <c>std::vector&lt;Edge&gt;</c> (begin, end, capacity).</para>
/// <para>The offsets of <c>Node::next_edges_</c> and <c>AccumulateGrad::variable</c> are not exported: they are found
/// once by building <c>a * b</c> from two leaves and looking for the vector of two edges to <c>AccumulateGrad</c> nodes,
/// and for the leaf's <c>TensorImpl</c> inside its <c>AccumulateGrad</c>. If that check fails, the graph surface raises
/// <see cref="PlatformNotSupportedException"/> rather than read memory it does not understand.</para>
/// </remarks>
internal static unsafe class AutogradNative
{
    private const string VersionSymbol = "_ZNK2at10TensorBase8_versionEv";
    private const string RetainsGradSymbol = "_ZNK2at10TensorBase12retains_gradEv";
    private const string OutputNrSymbol = "_ZNK2at10TensorBase9output_nrEv";
    private const string IsInferenceSymbol = "_ZN2at6native12is_inferenceERKNS_6TensorE";
    private const string GradFnSymbol = "_ZNK2at10TensorBase7grad_fnEv";
    private const string RegisterHookSymbol = "_ZNK2at10TensorBase14_register_hookESt8functionIFS0_RKS0_EE";
    private const string RemoveHookSymbol = "_ZNK2at10TensorBase11remove_hookEj";
    private const string SetPostAccGradHooksSymbol =
        "_ZN5torch8autograd4impl23set_post_acc_grad_hooksERKN2at10TensorBaseESt10unique_ptrINS0_22PostAccumulateGradHookESt14default_deleteIS7_EE";
    private const string AccumulateGradVtableSymbol = "_ZTVN5torch8autograd14AccumulateGradE";
    private const string PostAccumulateGradHookTypeInfoSymbol = "_ZTIN5torch8autograd22PostAccumulateGradHookE";
    private const string UndefinedSingletonSymbol = "_ZN3c1019UndefinedTensorImpl10_singletonE";
    private const string OperatorNewSymbol = "_Znwm";
    private const string OperatorDeleteSymbol = "_ZdlPv";

    /// <summary>Size of <c>torch::autograd::Edge</c>.</summary>
    internal const int EdgeSize = 24;

    private static readonly Lazy<Exports?> Resolved = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string? unsupportedReason;

    /// <summary>Why the ABI route is unavailable here, or null.</summary>
    internal static string? UnsupportedReason => Resolved.Value is null ? unsupportedReason : null;

    /// <summary>The resolved exports, or <see langword="null"/> where the ABI route is unavailable.</summary>
    internal static Exports? Api => Resolved.Value;

    /// <summary>Throws <see cref="PlatformNotSupportedException"/> naming the platform when the ABI route is unavailable.</summary>
    /// <param name="member">The facade member that needs it.</param>
    /// <returns>The exports.</returns>
    internal static Exports Require(string member)
    {
        if (Resolved.Value is { } api)
        {
            return api;
        }

        throw new PlatformNotSupportedException(
            $"{member} needs LibTorch's C++ ABI, which TorchFacade calls on Linux x64 only; this process runs on "
            + $"{RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture}). {unsupportedReason}");
    }

    /// <summary>The <c>TensorImpl*</c> of a TorchSharp tensor handle.</summary>
    internal static IntPtr ImplOf(torch.Tensor t) => *(IntPtr*)t.Handle;

    /// <summary>Takes one more strong reference on a <c>TensorImpl</c> (<c>intrusive_ptr::retain_</c>).</summary>
    internal static void IncRefImpl(IntPtr impl) => Interlocked.Increment(ref *(long*)(impl + 8));

    /// <summary>
    /// A new TorchSharp tensor object for an existing <c>TensorImpl</c> (a new <c>at::Tensor</c> sharing it, as a C++ copy
    /// would); <see langword="null"/> for the undefined tensor.
    /// </summary>
    internal static torch.Tensor? WrapImpl(Exports api, IntPtr impl)
    {
        if (impl == IntPtr.Zero || impl == api.UndefinedSingleton)
        {
            return null;
        }

        IncRefImpl(impl);
        IntPtr handle = api.OperatorNew(8);
        *(IntPtr*)handle = impl;
        return torch.Tensor.UnsafeCreateTensor(handle);
    }

    /// <summary>Takes one more strong reference on a <c>std::shared_ptr</c> control block.</summary>
    internal static void AddRefShared(IntPtr ctrl)
    {
        if (ctrl != IntPtr.Zero)
        {
            Interlocked.Increment(ref *(int*)(ctrl + 8));
        }
    }

    /// <summary>Drops one strong reference on a <c>std::shared_ptr</c> control block (<c>_Sp_counted_base::_M_release</c>).</summary>
    internal static void ReleaseShared(IntPtr ctrl)
    {
        if (ctrl == IntPtr.Zero)
        {
            return;
        }

        IntPtr* vtable = *(IntPtr**)ctrl;
        if (Interlocked.Decrement(ref *(int*)(ctrl + 8)) == 0)
        {
            ((delegate* unmanaged<IntPtr, void>)vtable[2])(ctrl);
            if (Interlocked.Decrement(ref *(int*)(ctrl + 12)) == 0)
            {
                ((delegate* unmanaged<IntPtr, void>)vtable[3])(ctrl);
            }
        }
    }

    /// <summary>The tensor's <c>grad_fn()</c> as <c>(node, control block)</c>, both zero for leaves.</summary>
    internal static (IntPtr Node, IntPtr Ctrl) GradFnOf(Exports api, torch.Tensor t)
    {
        IntPtr* shared = (IntPtr*)api.GradFn(t.Handle);
        return shared == null ? (IntPtr.Zero, IntPtr.Zero) : (shared[0], shared[1]);
    }

    /// <summary>Whether a node is an <c>AccumulateGrad</c> (the node of a leaf).</summary>
    internal static bool IsAccumulateGrad(Exports api, IntPtr node) => *(IntPtr*)node == api.AccumulateGradVptr;

    /// <summary>The <c>TensorImpl*</c> of an <c>AccumulateGrad</c> node's <c>variable</c>.</summary>
    internal static IntPtr VariableImplOf(Exports api, IntPtr node) => *(IntPtr*)(node + api.VariableOffset);

    /// <summary>The node's edges: pointer to the first and their count.</summary>
    internal static (IntPtr First, int Count) EdgesOf(Exports api, IntPtr node)
    {
        IntPtr* vector = (IntPtr*)(node + api.NextEdgesOffset);
        return (vector[0], (int)((vector[1] - vector[0]) / EdgeSize));
    }

    private static Exports? Resolve()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            unsupportedReason = "LibTorch's C++ ABI is called on Linux x64 only.";
            return null;
        }

        try
        {
            NativeRuntime.EnsureAvailable();
            if (!GradFnNative.TryLoadLibTorch(out IntPtr torchCpu))
            {
                unsupportedReason = "libtorch_cpu.so could not be loaded.";
                return null;
            }

            // Loaded with libtorch_cpu.so (its dependency): dlopen by soname finds the loaded copy.
            if (!NativeLibrary.TryLoad("libc10.so", out IntPtr c10))
            {
                unsupportedReason = "libc10.so could not be loaded.";
                return null;
            }

            if (!NativeLibrary.TryLoad("libstdc++.so.6", out IntPtr libstdcxx))
            {
                unsupportedReason = "libstdc++.so.6 could not be loaded.";
                return null;
            }

            IntPtr Get(IntPtr lib, string symbol) =>
                NativeLibrary.TryGetExport(lib, symbol, out IntPtr address)
                    ? address
                    : throw new EntryPointNotFoundException("LibTorch does not export " + symbol + ".");

            var api = new Exports
            {
                Version = (delegate* unmanaged<IntPtr, long>)Get(torchCpu, VersionSymbol),
                RetainsGrad = (delegate* unmanaged<IntPtr, byte>)Get(torchCpu, RetainsGradSymbol),
                OutputNr = (delegate* unmanaged<IntPtr, ulong>)Get(torchCpu, OutputNrSymbol),
                IsInference = (delegate* unmanaged<IntPtr, byte>)Get(torchCpu, IsInferenceSymbol),
                GradFn = (delegate* unmanaged<IntPtr, IntPtr>)Get(torchCpu, GradFnSymbol),
                RegisterHook = (delegate* unmanaged<IntPtr, IntPtr, uint>)Get(torchCpu, RegisterHookSymbol),
                RemoveHook = (delegate* unmanaged<IntPtr, uint, void>)Get(torchCpu, RemoveHookSymbol),
                SetPostAccGradHooks = (delegate* unmanaged<IntPtr, IntPtr*, void>)Get(torchCpu, SetPostAccGradHooksSymbol),
                AccumulateGradVptr = Get(torchCpu, AccumulateGradVtableSymbol) + 16,
                PostAccumulateGradHookTypeInfo = NativeLibrary.TryGetExport(torchCpu, PostAccumulateGradHookTypeInfoSymbol, out IntPtr typeInfo)
                    ? typeInfo
                    : IntPtr.Zero,
                UndefinedSingleton = Get(c10, UndefinedSingletonSymbol),
                OperatorNew = (delegate* unmanaged<nuint, IntPtr>)Get(libstdcxx, OperatorNewSymbol),
                OperatorDelete = (delegate* unmanaged<IntPtr, void>)Get(libstdcxx, OperatorDeleteSymbol),
            };

            // On a thread of its own, started without the caller's execution context: the caller may be inside
            // InferenceMode or NoGrad (thread-local LibTorch state), under which a * b would record no graph.
            string? failure = null;
            var calibration = new Thread(() => failure = Calibrate(api));
            calibration.UnsafeStart();
            calibration.Join();
            if (failure is not null)
            {
                unsupportedReason = failure;
                return null;
            }

            return api;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                   or NativeRuntimeUnavailableException)
        {
            unsupportedReason = "LibTorch's exports could not be resolved (" + ex.Message + ").";
            return null;
        }
    }

    /// <summary>
    /// Finds <c>Node::next_edges_</c> and <c>AccumulateGrad::variable</c> in a graph whose shape is known: <c>a * b</c>
    /// for two leaves has exactly two edges, to the <c>AccumulateGrad</c> nodes of <c>a</c> and <c>b</c>, with input
    /// numbers 0 and 0. Returns why it failed, or <see langword="null"/>.
    /// </summary>
    private static string? Calibrate(Exports api)
    {
        bool previous = NativeTensor.IsGradEnabled();
        NativeTensor.SetGradEnabled(true);
        try
        {
            using var a = torch.ones(2, requires_grad: true);
            using var b = torch.ones(2, requires_grad: true);
            using var c = a * b;
            (IntPtr node, _) = GradFnOf(api, c);
            if (node == IntPtr.Zero)
            {
                return "the graph of a * b has no node.";
            }

            const int MaxWords = 96;
            for (int word = 3; word < MaxWords; word++)
            {
                IntPtr* vector = (IntPtr*)(node + (word * 8));
                IntPtr begin = vector[0];
                IntPtr end = vector[1];
                IntPtr capacity = vector[2];
                if (begin == IntPtr.Zero || end - begin != 2 * EdgeSize || capacity < end)
                {
                    continue;
                }

                IntPtr first = *(IntPtr*)begin;
                IntPtr second = *(IntPtr*)(begin + EdgeSize);
                if (first == IntPtr.Zero || second == IntPtr.Zero
                    || *(IntPtr*)first != api.AccumulateGradVptr || *(IntPtr*)second != api.AccumulateGradVptr
                    || *(uint*)(begin + 16) != 0 || *(uint*)(begin + EdgeSize + 16) != 0)
                {
                    continue;
                }

                api.NextEdgesOffset = word * 8;
                IntPtr implA = ImplOf(a);
                for (int v = 3; v < 2 * MaxWords; v++)
                {
                    if (*(IntPtr*)(first + (v * 8)) == implA && *(IntPtr*)(second + (v * 8)) == ImplOf(b))
                    {
                        api.VariableOffset = v * 8;
                        return null;
                    }
                }

                return "AccumulateGrad::variable was not found in LibTorch's AccumulateGrad node.";
            }

            return "Node::next_edges_ was not found in LibTorch's MulBackward0 node.";
        }
        finally
        {
            NativeTensor.SetGradEnabled(previous);
        }
    }

    /// <summary>LibTorch's exports and the layout offsets found at start-up.</summary>
    internal sealed class Exports
    {
        internal delegate* unmanaged<IntPtr, long> Version;
        internal delegate* unmanaged<IntPtr, byte> RetainsGrad;
        internal delegate* unmanaged<IntPtr, ulong> OutputNr;
        internal delegate* unmanaged<IntPtr, byte> IsInference;
        internal delegate* unmanaged<IntPtr, IntPtr> GradFn;
        internal delegate* unmanaged<IntPtr, IntPtr, uint> RegisterHook;
        internal delegate* unmanaged<IntPtr, uint, void> RemoveHook;
        internal delegate* unmanaged<IntPtr, IntPtr*, void> SetPostAccGradHooks;
        internal delegate* unmanaged<nuint, IntPtr> OperatorNew;
        internal delegate* unmanaged<IntPtr, void> OperatorDelete;
        internal IntPtr AccumulateGradVptr;
        internal IntPtr PostAccumulateGradHookTypeInfo;
        internal IntPtr UndefinedSingleton;
        internal int NextEdgesOffset;
        internal int VariableOffset;
    }
}
