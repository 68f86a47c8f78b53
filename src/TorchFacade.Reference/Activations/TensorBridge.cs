using System.Numerics;
using System.Runtime.InteropServices;
using TorchFacade.Reference.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Where the reference activations leave tensors for spans: which tensors the managed kernels take (CPU, float32 or
/// float64), how a tensor's storage is seen as a span, and the checks every module makes on its input.
/// </summary>
internal static class TensorBridge
{
    /// <summary>Whether the managed kernels run on <paramref name="t"/>: a CPU float32/float64 tensor.</summary>
    public static bool UsesKernel(Tensor t) =>
        t.device_type == DeviceType.CPU && t.dtype is ScalarType.Float32 or ScalarType.Float64;

    /// <summary>
    /// Whether a backward runs the managed kernel on <paramref name="saved"/>: as <see cref="UsesKernel"/>, and only when
    /// the backward itself is not recorded. With grad mode on (a pass started with <c>createGraph</c>) the backward takes
    /// the composed path, differentiable tensor ops, so second derivatives are right (double backward).
    /// </summary>
    public static bool UsesKernelBackward(Tensor saved) => UsesKernel(saved) && !is_grad_enabled();

    /// <summary>
    /// In a recorded backward, makes a gradient that does not depend on <paramref name="saved"/> (ReLU's, LeakyReLU's:
    /// piecewise-linear activations) still part of the graph through it, with a zero derivative, as LibTorch's
    /// <c>threshold_backward</c> is: so a second <c>Grad</c> through it gives zeros instead of raising "does not require
    /// grad". The added term is exactly zero (a masked fill, so no inf·0).
    /// </summary>
    public static Tensor KeepConnected(Tensor gradient, Tensor saved)
    {
        if (!is_grad_enabled() || gradient.requires_grad || !saved.requires_grad)
        {
            return gradient;
        }

        using var all = ones_like(saved, ScalarType.Bool);
        using var zero = saved.masked_fill(all, 0);
        return gradient.add(zero.to_type(gradient.dtype));
    }

    /// <summary>
    /// Whether a forward on <paramref name="input"/> must go through its custom autograd function: grad mode is on
    /// and the input requires grad. Otherwise PyTorch records no node either, and the module runs its forward directly.
    /// </summary>
    public static bool RecordsGraph(Tensor input) => input.requires_grad && is_grad_enabled();

    /// <summary>Whether <paramref name="dtype"/> is float16 or bfloat16 (composed in float32, then rounded, like LibTorch's opmath).</summary>
    public static bool IsReduced(ScalarType dtype) => dtype is ScalarType.Float16 or ScalarType.BFloat16;

    /// <summary>The elements of a contiguous CPU tensor as a span (no copy).</summary>
    public static Span<T> Span<T>(Tensor contiguous)
        where T : unmanaged =>
        contiguous.numel() == 0 ? [] : MemoryMarshal.Cast<byte, T>(contiguous.bytes);

    /// <summary>Checks an activation's input: not null, a floating dtype.</summary>
    /// <exception cref="ArgumentNullException">No input.</exception>
    /// <exception cref="ArgumentException">An integer, bool or complex dtype.</exception>
    public static void ValidateInput(Tensor? input, string module, nn.Module? owner = null)
    {
        if (owner is not null)
        {
            ThrowIfDisposed(owner, module);
        }

        _ = input ?? throw new ArgumentNullException(null, $"{module}: 'input' is null; pass a value.");
        if (!input.is_floating_point())
        {
            throw new ArgumentException($"{module} needs a floating-point tensor (float32, float64, float16 or bfloat16) but got {input.dtype}; convert it first, e.g. x.to(torch.float32).");
        }
    }

    /// <summary>Normalises a possibly negative dimension the way PyTorch does (a 0-d tensor accepts -1 and 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is out of range.</exception>
    public static int NormalizeDim(long dim, long rank, string module)
    {
        long effective = Math.Max(rank, 1);
        if (dim < -effective || dim >= effective)
        {
            throw new ArgumentOutOfRangeException(null, dim, $"{module}: dimension out of range (expected to be in range of [{-effective}, {effective - 1}], but got {dim}) for a {rank}-d input.");
        }

        return (int)(dim < 0 ? dim + effective : dim);
    }

    /// <summary>
    /// A new uninitialised contiguous CPU tensor for a kernel to write, of <paramref name="like"/>'s shape and dtype;
    /// large ones are advised as huge pages before their first write (<see cref="HugePages"/>).
    /// </summary>
    public static unsafe Tensor NewOutput(Tensor like)
    {
        var y = empty(like.shape, like.dtype, like.device);
        long bytes = y.numel() * y.element_size();
        if (bytes >= HugePages.MinBytes)
        {
            HugePages.Advise((void*)y.DataPtr, bytes);
        }

        return y;
    }

    /// <summary>Runs a unary span kernel on a CPU float32/float64 tensor and returns a new contiguous tensor.</summary>
    public static Tensor RunUnary(Tensor x, SpanUnary<float> f32, SpanUnary<double> f64)
    {
        using var xc = x.contiguous();
        var y = NewOutput(xc);
        if (xc.numel() > 0)
        {
            if (xc.dtype == ScalarType.Float32)
            {
                f32(Span<float>(xc), Span<float>(y));
            }
            else
            {
                f64(Span<double>(xc), Span<double>(y));
            }
        }

        return y;
    }

    /// <summary>Runs a binary span kernel (gradient, saved tensor → input gradient) and returns a new contiguous tensor.</summary>
    public static Tensor RunBinary(Tensor a, Tensor b, SpanBinary<float> f32, SpanBinary<double> f64)
    {
        using var ac = a.to_type(b.dtype).contiguous();
        using var bc = b.contiguous();
        var dst = NewOutput(bc);
        if (bc.numel() > 0)
        {
            if (bc.dtype == ScalarType.Float32)
            {
                f32(Span<float>(ac), Span<float>(bc), Span<float>(dst));
            }
            else
            {
                f64(Span<double>(ac), Span<double>(bc), Span<double>(dst));
            }
        }

        return dst;
    }

    /// <summary>
    /// Runs a tensor composition; float16/bfloat16 inputs are computed in float32 and rounded back once, as LibTorch's
    /// CPU kernels do for reduced precision (opmath).
    /// </summary>
    public static Tensor Composed(Tensor x, Func<Tensor, Tensor> f)
    {
        if (!IsReduced(x.dtype))
        {
            return f(x);
        }

        using var up = x.to_type(ScalarType.Float32);
        using var r = f(up);
        return r.to_type(x.dtype);
    }

    /// <summary>As <see cref="Composed(Tensor, Func{Tensor, Tensor})"/>, for two inputs that share a dtype.</summary>
    public static Tensor Composed(Tensor a, Tensor b, Func<Tensor, Tensor, Tensor> f)
    {
        if (!IsReduced(b.dtype))
        {
            using var ab = a.to_type(b.dtype);
            return f(ab, b);
        }

        using var ua = a.to_type(ScalarType.Float32);
        using var ub = b.to_type(ScalarType.Float32);
        using var r = f(ua, ub);
        return r.to_type(b.dtype);
    }

    /// <summary>The scalar <paramref name="value"/> as an ATen scalar.</summary>
    public static Scalar S(double value) => value.ToScalar();

    /// <summary>Whether <typeparamref name="T"/> is a kernel element type.</summary>
    public static bool IsKernelType<T>()
        where T : IFloatingPointIeee754<T> => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    private static readonly System.Reflection.FieldInfo? ModuleHandle =
        typeof(nn.Module).GetField("handle", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);

    /// <summary>
    /// Throws <see cref="ObjectDisposedException"/> naming the module when <paramref name="module"/> was disposed (its native
    /// module is freed; TorchSharp would otherwise run on, or fail with an empty-handle error).
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="name">The module's name for the message.</param>
    public static void ThrowIfDisposed(nn.Module module, string name)
    {
        if (ModuleHandle?.GetValue(module) is SafeHandle { IsClosed: true } or SafeHandle { IsInvalid: true })
        {
            throw new ObjectDisposedException(name, $"{name}: this module has been disposed (its parameters and native module are freed), so it can no longer be called. Keep it alive until its last use, or build a new one.");
        }
    }
}
