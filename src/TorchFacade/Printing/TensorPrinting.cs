using TorchFacade.Printing;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade;

/// <summary>PyTorch's <c>print(x)</c> / <c>str(x)</c> for TorchSharp tensors.</summary>
public static class TensorPrinting
{
    extension(Tensor t)
    {
        /// <summary>
        /// What PyTorch's <c>str(x)</c> prints for the same tensor, e.g. <c>tensor([[4.5000, 4.5000], ...])</c>, with
        /// PyTorch's default print options (see <see cref="PyTorchFormat"/>); non-leaf tensors end with LibTorch's own
        /// <c>grad_fn=&lt;...&gt;</c> name.
        /// </summary>
        /// <returns>The text.</returns>
        /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
        public string ToPyTorchString()
        {
            TensorChecks.ThrowIfDisposed(t, "ToPyTorchString");
            return PyTorchFormat.Format(t);
        }
    }
}
