using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade;

/// <summary>
/// The LibTorch node of one <see cref="AutogradFunction{TSelf}"/> call: a LibTorchSharp <c>CSharpNode</c> whose two
/// callbacks (backward, release) are this object's. It lives (in <see cref="Alive"/>) until LibTorch frees the node.
/// The backward callback never lets an exception reach LibTorch: it stores it (see <see cref="HookErrors"/>) and
/// returns one gradient too many, so LibTorch's engine stops the pass with an error and the facade's
/// <c>Backward</c>/<c>Grad</c> rethrow the stored exception.
/// </summary>
internal sealed unsafe class CustomFunctionNode
{
    private static readonly ConcurrentDictionary<long, CustomFunctionNode> Alive = new();
    private static long nextId;

    private readonly long id;
    private readonly object gate = new();
    private readonly CustomFunctionNative.ApplyCallback applyCallback;
    private readonly CustomFunctionNative.DeleteCallback deleteCallback;
    private readonly Func<AutogradContext, Tensor[], Tensor?[]?> backward;
    private readonly AutogradContext context;
    private readonly long[][] inputShapes;
    private readonly bool[] needsGrad;
    private readonly List<Tensor> kept = [];
    private readonly List<Tensor> handedOver = [];
    private CustomFunctionNative.NodePtr ptr;
    private IntPtr[] saved = [];
    private (long[] Shape, torch.ScalarType DType, torch.Device Device)[] outputs = [];
    private IntPtr resultArray;
    private int resultCapacity;
    private bool released;
    private Tensor?[]? keptReferences;

    private CustomFunctionNode(string name, Tensor[] inputs, AutogradContext context, Func<AutogradContext, Tensor[], Tensor?[]?> backward)
    {
        Name = name;
        this.context = context;
        this.backward = backward;
        inputShapes = inputs.Select(t => t.shape).ToArray();
        needsGrad = context.NeedsInputGrad.ToArray();
        applyCallback = Apply;
        deleteCallback = OnDelete;
        id = Interlocked.Increment(ref nextId);
        Alive[id] = this;
        ptr = CustomFunctionNative.Create(
            Marshal.GetFunctionPointerForDelegate(applyCallback),
            Marshal.GetFunctionPointerForDelegate(deleteCallback));
        string? error = CustomFunctionNative.TakeError();
        if (error is not null || ptr.SharedPtr == IntPtr.Zero)
        {
            Alive.TryRemove(id, out _);
            throw new TorchException(PyTorchErrorTypes.RuntimeError, name + ": LibTorch could not create the node (" + error + ").");
        }

        Address = ptr.Address;
        CustomNodeNames.Set(Address, name);
    }

    /// <summary>PyTorch's name of the node: the function class + <c>Backward</c>.</summary>
    internal string Name { get; }

    /// <summary>The node's address (what <c>grad_fn()</c> of its outputs points at).</summary>
    internal IntPtr Address { get; }

    /// <summary>The LibTorch node (with its shared pointer until <see cref="ReleaseOwnership"/>).</summary>
    internal CustomFunctionNative.NodePtr Ptr => ptr;

    /// <summary>Whether the backward callback is running (so unpacked saved tensors belong to the pass).</summary>
    internal bool InBackward { get; private set; }

    /// <summary>Creates the node and connects it to the inputs' graph (LibTorch's <c>collect_next_edges</c>).</summary>
    internal static CustomFunctionNode Create(string name, Tensor[] inputs, AutogradContext context, Func<AutogradContext, Tensor[], Tensor?[]?> backward)
    {
        var node = new CustomFunctionNode(name, inputs, context, backward);
        IntPtr[] handles = inputs.Select(t => t.Handle).ToArray();
        fixed (IntPtr* p = handles)
        {
            CustomFunctionNative.SetNextEdges(node.ptr, new CustomFunctionNative.TensorArray(p, handles.Length), true);
        }

        string? error = CustomFunctionNative.TakeError();
        if (error is null)
        {
            CustomFunctionNative.ClearInputMetadata(node.ptr);
            error = CustomFunctionNative.TakeError();
        }

        if (error is not null)
        {
            node.ReleaseOwnership();
            throw Error(name + ".Apply", error);
        }

        return node;
    }

    /// <summary>A <see cref="TorchException"/> (<c>RuntimeError</c>) for LibTorch's message.</summary>
    internal static TorchException Error(string member, string raw)
    {
        (string first, string? trace) = LibTorchErrors.Split(raw);
        return new TorchException(PyTorchErrorTypes.RuntimeError, member + ": " + first, first, trace);
    }

    /// <summary>Keeps the saved tensors as LibTorch <c>SavedVariable</c>s (after the outputs were attached, so a saved output is recognised as one).</summary>
    internal void Save(IReadOnlyList<Tensor> tensors, IReadOnlyList<Tensor> wrappedOutputs)
    {
        outputs = wrappedOutputs.Select(t => (t.shape, t.dtype, t.device)).ToArray();
        var list = new IntPtr[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            list[i] = CustomFunctionNative.SaveVariable(tensors[i].Handle, ptr, false);
            if (CustomFunctionNative.TakeError() is { } error)
            {
                for (int j = 0; j < i; j++)
                {
                    CustomFunctionNative.DisposeSavedVariable(list[j]);
                }

                throw Error(Name + ".Apply", error);
            }
        }

        saved = list;
    }

    /// <summary>Drops the facade's shared pointer: from now on the graph (the outputs' <c>GradFn</c>) owns the node.</summary>
    internal void ReleaseOwnership()
    {
        CustomFunctionNative.NodePtr owned = ptr;
        if (owned.SharedPtr == IntPtr.Zero)
        {
            return;
        }

        ptr = owned.WeakOnly;
        CustomFunctionNative.DisposeSharedPtr(owned);
        CustomFunctionNative.TakeError();
    }

    /// <summary>Unpacks the saved tensors (LibTorch checks their versions and whether they were freed).</summary>
    internal Tensor[] UnpackSaved(string member)
    {
        lock (gate)
        {
            if (released)
            {
                throw Error(member, BackwardTwiceMessage);
            }

            var result = new Tensor[saved.Length];
            for (int i = 0; i < saved.Length; i++)
            {
                IntPtr handle = CustomFunctionNative.UnpackSavedVariable(saved[i], ptr);
                if (CustomFunctionNative.TakeError() is { } error)
                {
                    for (int j = 0; j < i; j++)
                    {
                        result[j].Dispose();
                    }

                    throw Error(member, error);
                }

                result[i] = torch.Tensor.UnsafeCreateTensor(handle);
            }

            return result;
        }
    }

    private const string BackwardTwiceMessage =
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). "
        + "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you "
        + "need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

    private CustomFunctionNative.TensorArray Apply(IntPtr tensors, int size)
    {
        lock (gate)
        {
            DisposeKept();
            InBackward = true;
            try
            {
                IntPtr[] handles = Run((IntPtr*)tensors, size);
                return Return(handles);
            }
            catch (Exception ex)
            {
                HookErrors.Add(ex);

                // One gradient too many: LibTorch's engine raises "invalid number of gradients" and stops the pass.
                return Return(new IntPtr[needsGrad.Length + 1]);
            }
            finally
            {
                InBackward = false;
                context.EndBackward();
            }
        }
    }

    private IntPtr[] Run(IntPtr* tensors, int size)
    {
        using var scope = torch.NewDisposeScope();
        var grads = new Tensor[size];
        for (int i = 0; i < size; i++)
        {
            if (tensors[i] != IntPtr.Zero)
            {
                grads[i] = torch.Tensor.UnsafeCreateTensor(tensors[i]);
            }
            else if (context.MaterializeGrads && i < outputs.Length)
            {
                grads[i] = torch.zeros(outputs[i].Shape, outputs[i].DType, outputs[i].Device);
            }
            else
            {
                grads[i] = null!;
            }
        }

        Tensor?[] result = Check(backward(context, grads));
        if (!CustomFunctionNative.CurrentPassKeepsGraph())
        {
            // PyTorch's release_variables(): a later backward through this node finds its saved tensors freed.
            foreach (IntPtr s in saved)
            {
                CustomFunctionNative.ResetSavedVariable(s);
                CustomFunctionNative.TakeError();
            }

            released = saved.Length > 0;
        }

        var handles = new IntPtr[result.Length];
        bool recording = NativeTensor.IsGradEnabled();
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] is { } g)
            {
                if (scope.Contains(g))
                {
                    scope.Detach(g);
                    kept.Add(g);
                    if (!recording && !handedOver.Contains(g) && GradientHandover.TryHandOver(g))
                    {
                        handedOver.Add(g);
                    }
                }

                handles[i] = g.Handle;
            }
        }

        // The tensors the user returned that the pass did not create stay theirs; they only must outlive LibTorch's copy.
        keptReferences = result;
        return handles;
    }

    private Tensor?[] Check(Tensor?[]? result)
    {
        int expected = needsGrad.Length;
        int got = result?.Length ?? 0;
        if (result is not null && got > expected && result.Skip(expected).All(g => g is null))
        {
            result = result[..expected];
            got = expected;
        }

        if (result is null || got != expected)
        {
            string message = string.Create(
                CultureInfo.InvariantCulture,
                $"function {Name} returned an incorrect number of gradients (expected {expected}, got {got})");
            throw new TorchException(
                PyTorchErrorTypes.RuntimeError,
                $"{context.FunctionName}.Backward: {message}. Return one gradient per input of Apply, null where an input needs none.",
                message);
        }

        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] is not { } g || !needsGrad[i])
            {
                continue;
            }

            TensorChecks.ThrowIfDisposed(g, context.FunctionName + ".Backward");
            long[] shape = g.shape;
            long[] input = inputShapes[i];
            if (!shape.AsSpan().SequenceEqual(input) && !ExpandableTo(input, shape))
            {
                string message = $"Function {Name} returned an invalid gradient at index {i} - got {Format(shape)} but expected shape compatible with {Format(input)}";
                throw new ShapeMismatchException(
                    $"{context.FunctionName}.Backward: {message}. The gradient for input {i} must have that input's shape.",
                    input,
                    shape,
                    -1);
            }
        }

        return result;
    }

    /// <summary>LibTorch's <c>is_expandable_to(shape, desired)</c>: <paramref name="shape"/> broadcasts to <paramref name="desired"/>.</summary>
    private static bool ExpandableTo(long[] shape, long[] desired)
    {
        if (shape.Length > desired.Length)
        {
            return false;
        }

        for (int i = 0; i < shape.Length; i++)
        {
            long size = shape[^(i + 1)];
            long target = desired[^(i + 1)];
            if (size != target && size != 1)
            {
                return false;
            }
        }

        return true;
    }

    private static string Format(long[] shape) => "[" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]";

    private CustomFunctionNative.TensorArray Return(IntPtr[] handles)
    {
        if (handles.Length > resultCapacity)
        {
            NativeMemory.Free((void*)resultArray);
            resultArray = (IntPtr)NativeMemory.AllocZeroed((nuint)Math.Max(handles.Length, 1), (nuint)sizeof(IntPtr));
            resultCapacity = handles.Length;
        }

        for (int i = 0; i < handles.Length; i++)
        {
            ((IntPtr*)resultArray)[i] = handles[i];
        }

        return new CustomFunctionNative.TensorArray((IntPtr*)resultArray, handles.Length);
    }

    private void DisposeKept()
    {
        foreach (Tensor t in handedOver)
        {
            GradientHandover.Forget(t);
        }

        handedOver.Clear();
        foreach (Tensor t in kept)
        {
            t.Dispose();
        }

        kept.Clear();
        keptReferences = null;
    }

    private void OnDelete()
    {
        try
        {
            CustomNodeNames.Remove(Address);
            lock (gate)
            {
                foreach (IntPtr s in saved)
                {
                    CustomFunctionNative.DisposeSavedVariable(s);
                }

                saved = [];
                DisposeKept();
                NativeMemory.Free((void*)resultArray);
                resultArray = IntPtr.Zero;
                resultCapacity = 0;
                CustomFunctionNative.NodePtr weak = ptr;
                ptr = default;
                if (weak.WeakPtr != IntPtr.Zero)
                {
                    CustomFunctionNative.DisposeWeakPtr(weak.WeakOnly);
                }

                CustomFunctionNative.TakeError();
            }
        }
        catch (Exception ex)
        {
            HookErrors.Add(ex);
        }
        finally
        {
            Alive.TryRemove(id, out _);
        }
    }
}
