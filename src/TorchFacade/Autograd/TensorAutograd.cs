using System.Runtime.InteropServices;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade;

/// <summary>
/// PyTorch's autograd surface on TorchSharp's <see cref="Tensor"/>: <c>requires_grad</c>, <c>grad</c>, <c>is_leaf</c>,
/// <c>grad_fn</c>, <c>backward()</c> and <c>detach()</c>, with PyTorch's errors raised as typed .NET exceptions before
/// LibTorch is called.
/// </summary>
public static class TensorAutograd
{
    private const string LeafOnlyMessage =
        "you can only change requires_grad flags of leaf variables.";

    private const string DetachHint =
        " If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()"
        + " (C#: var noGrad = t.Detach()).";

    extension(Tensor t)
    {
        /// <summary>
        /// PyTorch's <c>x.requires_grad</c> (get) and <c>x.requires_grad = ...</c> / <c>x.requires_grad_(...)</c> (set):
        /// whether operations on <c>t</c> are recorded so <c>Backward</c> can compute <c>t.Grad</c>.
        /// Only leaves (tensors created by the user, not computed from tensors that require grad) can be changed.
        /// </summary>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="InvalidOperationException">
        /// Set on a non-leaf (PyTorch: "you can only change requires_grad flags of leaf variables. ..."), or set to
        /// <see langword="true"/> on an integer or bool tensor (only floating point and complex tensors can require gradients).
        /// </exception>
        public bool RequiresGrad
        {
            get
            {
                TensorChecks.ThrowIfDisposed(t, "RequiresGrad");
                return NativeTensor.RequiresGradOf(t);
            }

            set
            {
                TensorChecks.ThrowIfDisposed(t, "RequiresGrad");
                if (!NativeTensor.IsLeafOf(t))
                {
                    throw LibTorchErrors.Raise(
                        PyTorchErrorTypes.RuntimeError, "RequiresGrad", LeafOnlyMessage + (value ? string.Empty : DetachHint),
                        "This tensor was computed from tensors that require grad (it has a GradFn), so whether it requires grad "
                        + "follows from its inputs; set RequiresGrad on the leaf inputs instead.");
                }

                if (value && !IsDifferentiable(NativeTensor.DTypeOf(t)))
                {
                    throw LibTorchErrors.Raise(
                        PyTorchErrorTypes.RuntimeError, "RequiresGrad", "only Tensors of floating point and complex dtype can require gradients",
                        $"(this one is {t.dtype}). Convert it first, e.g. t.to_type(ScalarType.Float32).");
                }

                t.requires_grad = value;
            }
        }

        /// <summary>
        /// PyTorch's <c>x.grad</c>: the gradient accumulated into this leaf by <c>Backward</c>, or <see langword="null"/>
        /// until a backward pass reaches it (and for non-leaves, whose gradients are not kept). Gradients accumulate:
        /// each <c>Backward</c> adds to it, so clear it between steps (<c>t.Grad = null</c>, as PyTorch's
        /// <c>zero_grad()</c> does by default since 2.0, or <c>t.Grad.zero_()</c>).
        /// Setting replaces it (PyTorch's <c>x.grad = g</c>); <see langword="null"/> removes it.
        /// </summary>
        /// <exception cref="ObjectDisposedException"><c>t</c> (or the assigned gradient) was disposed.</exception>
        /// <exception cref="ShapeMismatchException">The assigned gradient's shape differs from <c>t</c>'s.</exception>
        /// <exception cref="ArgumentException">The assigned gradient's dtype or device differs from <c>t</c>'s.</exception>
        public Tensor? Grad
        {
            get
            {
                TensorChecks.ThrowIfDisposed(t, "Grad");
                return t.grad;
            }

            set
            {
                TensorChecks.ThrowIfDisposed(t, "Grad");
                if (value is not null)
                {
                    TensorChecks.ThrowIfDisposed(value, "Grad");
                    ThrowIfNotGradientOf(t, value);
                }

                t.grad = value;
            }
        }

        /// <summary>
        /// PyTorch's <c>x.is_leaf</c>: <see langword="true"/> for tensors created directly (by a factory, or with
        /// <c>RequiresGrad</c> set by the user) and for every tensor that does not require grad; <see langword="false"/>
        /// for results of recorded operations. Only leaves get <c>Grad</c> filled by <c>Backward</c>.
        /// </summary>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        public bool IsLeaf
        {
            get
            {
                TensorChecks.ThrowIfDisposed(t, "IsLeaf");
                return NativeTensor.IsLeafOf(t);
            }
        }

        /// <summary>
        /// PyTorch's <c>x.grad_fn</c>: the autograd node that made <c>t</c>, with LibTorch's own node name
        /// (<c>MulBackward0</c>, <c>MeanBackward0</c>, <c>GeluBackward0</c>, ...); <see langword="null"/> for leaves and
        /// tensors created outside a graph (under <c>Torch.NoGrad()</c>, or from inputs that do not require grad).
        /// On platforms other than Linux x64 the node is reported but its <see cref="GradFn.Name"/> is <see langword="null"/>.
        /// </summary>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        public GradFn? GradFn
        {
            get
            {
                TensorChecks.ThrowIfDisposed(t, "GradFn");
                if (AutogradNative.Api is { } api)
                {
                    (IntPtr node, IntPtr ctrl) = AutogradNative.GradFnOf(api, t);
                    return node == IntPtr.Zero ? null : new GradFn(node, ctrl);
                }

                (bool hasNode, string? name) = GradFnNative.Read(t);
                return hasNode ? new GradFn(name) : null;
            }
        }

        /// <summary>
        /// PyTorch's <c>x.backward(gradient=None, retain_graph=None)</c>: computes the gradient of <c>t</c> with respect
        /// to every leaf that requires grad and <em>adds</em> it to the leaf's <c>Grad</c>.
        /// For a one-element <c>t</c> (a loss) no <paramref name="gradient"/> is needed; otherwise pass
        /// ∂loss/∂t, a tensor of exactly <c>t</c>'s shape (PyTorch does not broadcast it).
        /// The graph's saved values are freed afterwards unless <paramref name="retainGraph"/> is <see langword="true"/>.
        /// </summary>
        /// <param name="gradient">The gradient flowing into <c>t</c>; required unless <c>t</c> has exactly one element.</param>
        /// <param name="retainGraph">Keep the graph so <c>Backward</c> can run through it again.</param>
        /// <exception cref="ObjectDisposedException"><c>t</c> or <paramref name="gradient"/> was disposed.</exception>
        /// <exception cref="TorchException">
        /// (PyTorch's <c>RuntimeError</c>, an <see cref="InvalidOperationException"/>) <c>t</c> does not require grad; <c>t</c> has more than one element and no <paramref name="gradient"/> was given
        /// ("grad can be implicitly created only for scalar outputs"); or the graph was already freed by an earlier
        /// <c>Backward</c> without <paramref name="retainGraph"/>.
        /// </exception>
        /// <exception cref="ShapeMismatchException"><paramref name="gradient"/>'s shape is not exactly <c>t</c>'s (PyTorch: "Mismatch in shape: ...").</exception>
        public void Backward(Tensor? gradient = null, bool retainGraph = false)
        {
            TensorChecks.ThrowIfDisposed(t, nameof(Backward));
            if (!NativeTensor.RequiresGradOf(t))
            {
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, nameof(Backward), "element 0 of tensors does not require grad and does not have a grad_fn",
                    "This tensor was not computed from any tensor with RequiresGrad = true, or it was computed under Torch.NoGrad()/InferenceMode(). "
                    + "Set RequiresGrad = true on the inputs (leaves) before computing it.");
            }

            if (gradient is null)
            {
                long numel = NativeTensor.NumelOf(t);
                if (numel != 1)
                {
                    throw LibTorchErrors.Raise(
                        PyTorchErrorTypes.RuntimeError, nameof(Backward), "grad can be implicitly created only for scalar outputs",
                        $"This tensor has shape "
                        + $"{TensorChecks.Format(NativeTensor.ShapeOf(t))} ({numel} elements); reduce it to a scalar loss first "
                        + "(e.g. t.sum().Backward()) or pass the gradient ∂loss/∂t: t.Backward(gradient) with a tensor of the same shape.");
                }
            }
            else
            {
                TensorChecks.ThrowIfDisposed(gradient, nameof(Backward));
                long[] outputShape = NativeTensor.ShapeOf(t);
                long[] gradientShape = NativeTensor.ShapeOf(gradient);
                if (!outputShape.AsSpan().SequenceEqual(gradientShape))
                {
                    // PyTorch's _make_grads checks the exact shape; LibTorch's engine alone would accept any gradient the
                    // output broadcasts to and sum the extra dimensions away (a silently wrong gradient).
                    int dim = outputShape.Length != gradientShape.Length ? -1 : outputShape.AsSpan().CommonPrefixLength(gradientShape);
                    throw new ShapeMismatchException(
                        $"Backward: Mismatch in shape: grad_output[0] has a shape of torch.Size({TensorChecks.Format(gradientShape)}) and "
                        + $"output[0] has a shape of torch.Size({TensorChecks.Format(outputShape)}). Pass a gradient of exactly the "
                        + "output's shape (∂loss/∂t, one value per element of t).",
                        outputShape, gradientShape, dim);
                }
            }

            using HookErrors.CaptureScope errors = HookErrors.Capture();
            try
            {
                torch.autograd.backward(t, gradient is null ? null : [gradient], retain_graph: retainGraph);
                HookErrors.ThrowPending();
            }
            catch (ExternalException ex)
            {
                HookErrors.ThrowPending();
                string first = LibTorchErrors.Split(ex.Message).FirstLine;
                string? hint = first.Contains("a second time", StringComparison.Ordinal)
                    ? " In C#: pass retainGraph: true to every Backward call except the last one over the same graph, or recompute the forward pass."
                    : null;
                throw LibTorchErrors.Translate(ex, nameof(Backward), hint);
            }
        }

        /// <summary>
        /// PyTorch's <c>x.retain_grad()</c>: makes a non-leaf keep its gradient in <c>Grad</c> after <c>Backward</c>
        /// (non-leaves normally do not). On a leaf it does nothing (leaves always keep theirs). The retained gradient is
        /// the one after every hook registered with <c>RegisterHook</c> ran, as in PyTorch 2.x.
        /// </summary>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="TorchException"><c>t</c> does not require grad (PyTorch: "can't retain_grad on Tensor that has requires_grad=False").</exception>
        public void RetainGrad()
        {
            TensorChecks.ThrowIfDisposed(t, nameof(RetainGrad));
            if (!NativeTensor.RequiresGradOf(t))
            {
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, "RetainGrad", "can't retain_grad on Tensor that has requires_grad=False",
                    "Only tensors that take part in the graph have gradients: set RequiresGrad = true on the leaves it is computed "
                    + "from (or on it, if it is a leaf).");
            }

            try
            {
                t.retain_grad();
            }
            catch (ExternalException ex)
            {
                throw LibTorchErrors.Translate(ex, "RetainGrad");
            }
        }

        /// <summary>
        /// PyTorch's <c>x.retains_grad</c>: whether <c>RetainGrad()</c> was called on this non-leaf; always
        /// <see langword="false"/> for leaves, as in PyTorch.
        /// </summary>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="PlatformNotSupportedException">Not on Linux x64 (read through LibTorch's C++ ABI).</exception>
        public bool RetainsGrad
        {
            get
            {
                TensorChecks.ThrowIfDisposed(t, "RetainsGrad");
                AutogradNative.Exports api = AutogradNative.Require("RetainsGrad");
                unsafe
                {
                    return NativeTensor.IsLeafOf(t) ? false : api.RetainsGrad(t.Handle) != 0;
                }
            }
        }

        /// <summary>
        /// PyTorch's <c>x.is_inference()</c>: whether <c>t</c> is an inference tensor — made inside
        /// <c>Torch.InferenceMode()</c>; such tensors can never take part in autograd or have their version tracked.
        /// </summary>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="PlatformNotSupportedException">Not on Linux x64 (read through LibTorch's C++ ABI).</exception>
        public bool IsInference
        {
            get
            {
                TensorChecks.ThrowIfDisposed(t, "IsInference");
                AutogradNative.Exports api = AutogradNative.Require("IsInference");
                unsafe
                {
                    return api.IsInference(t.Handle) != 0;
                }
            }
        }

        /// <summary>
        /// PyTorch's <c>x._version</c>: LibTorch's version counter of <c>t</c>'s data, bumped by every in-place operation
        /// on it or on a view of the same data (autograd uses it to detect saved tensors that were modified).
        /// </summary>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="TorchException"><c>t</c> is an inference tensor (PyTorch: "Inference tensors do not track version counter.").</exception>
        /// <exception cref="PlatformNotSupportedException">Not on Linux x64 (read through LibTorch's C++ ABI).</exception>
        public long Version
        {
            get
            {
                TensorChecks.ThrowIfDisposed(t, "Version");
                AutogradNative.Exports api = AutogradNative.Require("Version");
                unsafe
                {
                    if (api.IsInference(t.Handle) != 0)
                    {
                        throw LibTorchErrors.Raise(
                            PyTorchErrorTypes.RuntimeError, "Version", "Inference tensors do not track version counter.",
                            "This tensor was made inside Torch.InferenceMode(); make it under Torch.NoGrad() instead if its version is needed.");
                    }

                    return api.Version(t.Handle);
                }
            }
        }

        /// <summary>
        /// PyTorch's <c>x.detach()</c>: a tensor sharing <c>t</c>'s storage (writes show through both ways) that is
        /// outside the graph — it does not require grad and <c>Backward</c> never reaches through it.
        /// </summary>
        /// <returns>The detached tensor (a new <see cref="Tensor"/> object to dispose).</returns>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        public Tensor Detach()
        {
            TensorChecks.ThrowIfDisposed(t, nameof(Detach));
            return t.detach();
        }
    }

    private static bool IsDifferentiable(torch.ScalarType dtype) =>
        dtype is torch.ScalarType.Float16 or torch.ScalarType.BFloat16 or torch.ScalarType.Float32 or torch.ScalarType.Float64
            or torch.ScalarType.ComplexFloat32 or torch.ScalarType.ComplexFloat64;

    private static void ThrowIfNotGradientOf(Tensor t, Tensor grad)
    {
        long[] shape = NativeTensor.ShapeOf(t);
        long[] gradShape = NativeTensor.ShapeOf(grad);
        if (!shape.AsSpan().SequenceEqual(gradShape))
        {
            int dim = shape.Length != gradShape.Length ? -1 : shape.AsSpan().CommonPrefixLength(gradShape);
            throw new ShapeMismatchException(
                $"Grad: assigned grad has data of a different size: shape {TensorChecks.Format(gradShape)}, but the tensor has shape "
                + $"{TensorChecks.Format(shape)}" + (dim >= 0 ? $" (dimension {dim} differs)." : " (different number of dimensions)."),
                shape, gradShape, dim);
        }

        if (grad.dtype != t.dtype)
        {
            throw new ArgumentException(
                $"Grad: assigned grad has data of a different type ({grad.dtype}; the tensor is {t.dtype}). Convert it with to_type first.");
        }

        if (grad.device_type != t.device_type || grad.device_index != t.device_index)
        {
            throw new ArgumentException(
                $"Grad: assigned grad has data located on a different device ({grad.device}; the tensor is on {t.device}). Move it with To(...) first.");
        }
    }
}
