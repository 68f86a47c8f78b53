using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade;

/// <summary>
/// PyTorch's <c>torch.autograd.Function</c>: an operation with its own backward. Subclass it, override
/// <see cref="Forward"/> (runs with autograd off, may save tensors on the context) and <see cref="Backward"/> (one
/// gradient per input from one gradient per output), and call <see cref="Apply"/>, as Python calls
/// <c>MyFunction.apply(x)</c>. The outputs' node is named as in PyTorch, the class name + <c>Backward</c>
/// (<c>LegendrePolynomial3Backward</c>), and takes part in the graph like LibTorch's own: <c>GradFn.NextFunctions</c>,
/// hooks, <c>Torch.Autograd.Grad</c>, double backward (<see cref="Backward"/> runs with autograd on when the pass was
/// started with <c>createGraph</c>, so a backward written with differentiable tensor operations is itself differentiable).
/// </summary>
/// <typeparam name="TSelf">The subclass itself (<c>sealed class Cube : AutogradFunction&lt;Cube&gt;</c>).</typeparam>
/// <remarks>
/// <para>Errors are PyTorch's: a <see cref="Backward"/> that returns the wrong number of gradients raises "function
/// CubeBackward returned an incorrect number of gradients (expected 1, got 2)", one with a shape that does not reduce
/// to its input's "Function CubeBackward returned an invalid gradient at index 0 - got [5] but expected shape
/// compatible with [3]", a saved tensor modified in place LibTorch's version-counter error, and a second backward
/// through a freed graph "Trying to backward through the graph a second time". They (and any exception that
/// <see cref="Backward"/> throws) come out of the facade's <c>Backward</c>, <c>Torch.Autograd.Backward</c> and
/// <c>Torch.Autograd.Grad</c> as the exception itself; an exception never unwinds through LibTorch, so nothing aborts
/// the process.</para>
/// <para>A new <typeparamref name="TSelf"/> is made for every <see cref="Apply"/>; keep per-call values on the
/// <see cref="AutogradContext"/> (<see cref="AutogradContext.Items"/>) as PyTorch keeps them on <c>ctx</c>.</para>
/// </remarks>
public abstract class AutogradFunction<TSelf>
    where TSelf : AutogradFunction<TSelf>, new()
{
    private static readonly string ClassName = typeof(TSelf).Name;

    /// <summary>Creates the function object (<see cref="Apply"/> makes one per call).</summary>
    protected AutogradFunction()
    {
    }

    /// <summary>PyTorch's name of this function's node: the class name + <c>Backward</c>.</summary>
    public static string NodeName { get; } = ClassName + "Backward";

    /// <summary>
    /// PyTorch's <c>Function.apply(*inputs)</c>: runs <see cref="Forward"/> with autograd off and, when grad mode is on
    /// and an input requires grad, records one node (<see cref="NodeName"/>) whose backward is <see cref="Backward"/>.
    /// </summary>
    /// <param name="inputs">The inputs, passed to <see cref="Forward"/> as they are.</param>
    /// <returns>The outputs of <see cref="Forward"/>, attached to the graph (an output that is an input returned
    /// unmodified comes back as a view of it, and an input marked dirty as that same tensor, as in PyTorch).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/>, an input, or what <see cref="Forward"/> returned is null.</exception>
    /// <exception cref="ObjectDisposedException">An input or output was disposed.</exception>
    /// <exception cref="TorchException">PyTorch's errors, e.g. "a leaf Variable that requires grad has been used in an in-place operation." for a leaf marked dirty.</exception>
    public static Tensor[] Apply(params Tensor[] inputs)
    {
        string member = ClassName + ".Apply";
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentNullException(nameof(inputs), $"{member}: inputs[{i}] is null.");
            }

            TensorChecks.ThrowIfDisposed(inputs[i], member);
        }

        NativeRuntime.EnsureAvailable();
        var function = new TSelf();
        bool executable = NativeTensor.IsGradEnabled() && inputs.Any(NativeTensor.RequiresGradOf);
        var context = new AutogradContext(inputs.Select(t => executable && NativeTensor.RequiresGradOf(t)).ToArray(), ClassName);
        CustomFunctionNode? node = executable
            ? CustomFunctionNode.Create(NodeName, inputs, context, (ctx, grads) => function.Backward(ctx, grads))
            : null;
        try
        {
            Tensor[] outputs;
            using (torch.no_grad())
            {
                outputs = function.Forward(context, (Tensor[])inputs.Clone())
                          ?? throw new ArgumentNullException(nameof(inputs), $"{ClassName}.Forward returned null; return the outputs as an array.");
            }

            for (int i = 0; i < outputs.Length; i++)
            {
                if (outputs[i] is null)
                {
                    throw new ArgumentNullException(nameof(inputs), $"{ClassName}.Forward returned null as output {i}; every output must be a tensor.");
                }

                TensorChecks.ThrowIfDisposed(outputs[i], ClassName + ".Forward");
            }

            Tensor[] wrapped = Wrap(member, inputs, outputs, context, node);
            node?.Save(context.ToSave, wrapped);
            context.EndForward(node);
            return wrapped;
        }
        finally
        {
            node?.ReleaseOwnership();
        }
    }

    /// <summary>
    /// PyTorch's <c>forward(ctx, *inputs)</c>: computes the outputs (autograd is off here). Save what
    /// <see cref="Backward"/> needs with <see cref="AutogradContext.SaveForBackward"/>.
    /// </summary>
    /// <param name="ctx">The context shared with <see cref="Backward"/>.</param>
    /// <param name="inputs">The inputs given to <see cref="Apply"/>.</param>
    /// <returns>The outputs (at least one).</returns>
    protected abstract Tensor[] Forward(AutogradContext ctx, Tensor[] inputs);

    /// <summary>
    /// PyTorch's <c>backward(ctx, *grad_outputs)</c>: the gradient w.r.t. each input from the gradient w.r.t. each output.
    /// Runs with autograd on when the backward pass records a graph (<c>createGraph</c>).
    /// </summary>
    /// <param name="ctx">The context <see cref="Forward"/> filled.</param>
    /// <param name="gradOutputs">One gradient per output (zeros for an unused output, or <see langword="null"/> after
    /// <see cref="AutogradContext.SetMaterializeGrads"/>(false)); they belong to the pass.</param>
    /// <returns>One gradient per input, <see langword="null"/> for an input that needs none
    /// (<see cref="AutogradContext.NeedsInputGrad"/>).</returns>
    protected abstract Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs);

    private static Tensor[] Wrap(string member, Tensor[] inputs, Tensor[] outputs, AutogradContext context, CustomFunctionNode? node)
    {
        IntPtr[] wrapped = CustomFunctionNative.WrapOutputs(
            inputs.Select(t => t.Handle).ToArray(),
            context.NonDifferentiable.Select(t => t.Handle).ToArray(),
            context.Dirty.Select(t => t.Handle).ToArray(),
            outputs.Select(t => t.Handle).ToArray(),
            node?.Ptr ?? default,
            out string? error);
        if (error is not null)
        {
            foreach (IntPtr handle in wrapped)
            {
                if (handle != IntPtr.Zero)
                {
                    torch.Tensor.UnsafeCreateTensor(handle).Dispose();
                }
            }

            throw CustomFunctionNode.Error(member, error);
        }

        var result = new Tensor[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            Tensor fresh = torch.Tensor.UnsafeCreateTensor(wrapped[i]);
            if (AutogradNative.ImplOf(fresh) == AutogradNative.ImplOf(outputs[i]))
            {
                // LibTorch attached the output itself (its TensorImpl): return the caller's object, as Python returns the same tensor.
                fresh.Dispose();
                result[i] = outputs[i];
            }
            else
            {
                result[i] = fresh;
            }
        }

        return result;
    }
}
