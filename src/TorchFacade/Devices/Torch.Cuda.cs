using TorchSharp;

namespace TorchFacade;

public static partial class Torch
{
    /// <summary>PyTorch's <c>torch.cuda</c>: whether CUDA can be used here, and how many GPUs there are.</summary>
    public static class Cuda
    {
        private static readonly Lazy<(bool Available, int Count, string Reason)> State = new(Probe);

        /// <summary><c>torch.cuda.is_available()</c>. Never throws, also when no CUDA backend is installed.</summary>
        public static bool IsAvailable => State.Value.Available;

        /// <summary><c>torch.cuda.device_count()</c>: 0 when CUDA is unavailable. Never throws.</summary>
        public static int DeviceCount => State.Value.Count;

        /// <summary>
        /// Why CUDA is unavailable ("no CUDA backend: ..." or "no GPU: ..."), or <see langword="null"/> when it is available.
        /// </summary>
        public static string? UnavailableReason => State.Value.Available ? null : State.Value.Reason;

        private static (bool, int, string) Probe()
        {
            if (!NativeRuntime.IsAvailable)
            {
                return (false, 0, "no CUDA backend: LibTorch did not load (" + NativeRuntime.FailureReason + ")");
            }

            bool hasBackend;
            try
            {
                torch.InitializeDeviceType(DeviceType.CUDA);
                hasBackend = true;
            }
            catch (Exception)
            {
                hasBackend = false;
            }

            if (!hasBackend)
            {
                return (false, 0,
                    "no CUDA backend: this build references LibTorch's CPU runtime; build with "
                    + "'-p:TorchBackend=cuda' (TorchSharp-cuda-linux / TorchSharp-cuda-windows 0.107.0) on a machine with a GPU");
            }

            try
            {
                int count = torch.cuda.device_count();
                return count > 0 && torch.cuda.is_available()
                    ? (true, count, string.Empty)
                    : (false, 0, "no GPU: the CUDA backend loaded but found no CUDA device (check the driver and CUDA_VISIBLE_DEVICES)");
            }
            catch (Exception ex)
            {
                return (false, 0, "no GPU: the CUDA backend could not query devices (" + ex.Message + ")");
            }
        }
    }
}
