using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade;

/// <summary>
/// PyTorch's tensor hooks on TorchSharp's <see cref="Tensor"/>: <c>register_hook</c> and
/// <c>register_post_accumulate_grad_hook</c>, run by LibTorch's own autograd engine.
/// </summary>
/// <remarks>
/// Hooks are installed through LibTorch's C++ ABI, available on Linux x64; elsewhere registering raises
/// <see cref="PlatformNotSupportedException"/>. A hook that throws does not abort the process: the exception is kept,
/// the backward pass goes on with that gradient unchanged, and the facade's <c>Backward</c> / <c>Torch.Autograd.Backward</c>
/// / <c>Torch.Autograd.Grad</c> rethrow it when LibTorch returns (TorchSharp's own <c>backward()</c> cannot; the exception
/// then surfaces from the next facade call that runs a backward pass).
/// </remarks>
public static class TensorHooks
{
    extension(Tensor t)
    {
        /// <summary>
        /// PyTorch's <c>x.register_hook(hook)</c>: <paramref name="hook"/> is called with the gradient with respect to
        /// <c>t</c> each time a backward pass computes it. Returning a tensor replaces that gradient (it must have the
        /// gradient's shape, dtype and device); returning <see langword="null"/> keeps it. Works on leaves (before the
        /// gradient is accumulated into <c>Grad</c>) and non-leaves; several hooks run in registration order, all before
        /// the <c>RetainGrad</c> hook, so a retained <c>Grad</c> shows the replaced gradient, as in PyTorch 2.x.
        /// </summary>
        /// <param name="hook">Called with the gradient (a new <see cref="Tensor"/> object; a dispose scope open on the backward
        /// thread owns it, otherwise the garbage collector does).</param>
        /// <returns>The handle; <c>Remove()</c> or <c>Dispose()</c> unregisters the hook.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="hook"/> is null.</exception>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="TorchException"><c>t</c> does not require grad (PyTorch: "cannot register a hook on a tensor that doesn't require gradient").</exception>
        /// <exception cref="PlatformNotSupportedException">Not on Linux x64.</exception>
        public RemovableHandle RegisterHook(Func<Tensor, Tensor?> hook)
        {
            TensorChecks.ThrowIfNull(hook, nameof(RegisterHook));
            TensorChecks.ThrowIfDisposed(t, nameof(RegisterHook));
            AutogradNative.Exports api = AutogradNative.Require(nameof(RegisterHook));
            if (!NativeTensor.RequiresGradOf(t))
            {
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, "RegisterHook", "cannot register a hook on a tensor that doesn't require gradient",
                    "Set RequiresGrad = true on it (a leaf) or on the leaves it is computed from.");
            }

            return TensorHookNative.RegisterGradHook(api, t, hook);
        }

        /// <summary>
        /// PyTorch's <c>x.register_post_accumulate_grad_hook(hook)</c>: on a leaf, <paramref name="hook"/> is called with
        /// the leaf itself after a backward pass accumulated its gradient into <c>Grad</c> (the place for an optimizer
        /// step fused into backward). Several hooks run in registration order.
        /// </summary>
        /// <param name="hook">Called with the leaf (a new <see cref="Tensor"/> object sharing it).</param>
        /// <returns>The handle; <c>Remove()</c> or <c>Dispose()</c> unregisters the hook.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="hook"/> is null.</exception>
        /// <exception cref="ObjectDisposedException"><c>t</c> was disposed.</exception>
        /// <exception cref="TorchException"><c>t</c> does not require grad, or is not a leaf (PyTorch: "post accumulate grad hooks cannot be registered on non-leaf tensors").</exception>
        /// <exception cref="PlatformNotSupportedException">Not on Linux x64.</exception>
        public RemovableHandle RegisterPostAccumulateGradHook(Action<Tensor> hook)
        {
            TensorChecks.ThrowIfNull(hook, nameof(RegisterPostAccumulateGradHook));
            TensorChecks.ThrowIfDisposed(t, nameof(RegisterPostAccumulateGradHook));
            AutogradNative.Exports api = AutogradNative.Require(nameof(RegisterPostAccumulateGradHook));
            if (!NativeTensor.RequiresGradOf(t))
            {
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, "RegisterPostAccumulateGradHook", "cannot register a hook on a tensor that doesn't require gradient",
                    "Set RequiresGrad = true on the leaf first.");
            }

            if (!NativeTensor.IsLeafOf(t))
            {
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, "RegisterPostAccumulateGradHook", "post accumulate grad hooks cannot be registered on non-leaf tensors",
                    "Register it on the leaf (a parameter), or use RegisterHook on this tensor.");
            }

            return TensorHookNative.RegisterPostAccumulateGradHook(api, t, hook);
        }
    }
}
