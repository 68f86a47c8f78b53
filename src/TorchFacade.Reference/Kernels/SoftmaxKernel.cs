using System.Numerics;
using System.Numerics.Tensors;
using TorchFacade.Reference.Kernels.Operators;

namespace TorchFacade.Reference.Kernels;

/// <summary>
/// Managed softmax and log-softmax kernels along one dimension of a contiguous tensor, in LibTorch's CPU order:
/// m = max, e = exp(x − m), s = Σe, softmax = e·(1/s) (a multiply by the reciprocal), log_softmax = (x − m) − log s.
/// Backward from the saved output y: softmax dx = (g − Σ g·y)·y; log_softmax dx = g − exp(y)·Σ g.
/// </summary>
internal static class SoftmaxKernel
{
    /// <summary>Softmax forward along the middle dimension of <paramref name="layout"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, contiguous.</param>
    /// <param name="y">The output (same length; may not overlap <paramref name="x"/> unless it is <paramref name="x"/>).</param>
    /// <param name="layout">The <c>[outer, size, inner]</c> view of the data.</param>
    /// <exception cref="ArgumentException">A span's length does not match the layout.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, ReductionLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T> => Run(x, x, y, layout, Mode.Softmax);

    /// <summary>Log-softmax forward along the middle dimension of <paramref name="layout"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, contiguous.</param>
    /// <param name="y">The output (same length).</param>
    /// <param name="layout">The <c>[outer, size, inner]</c> view of the data.</param>
    /// <exception cref="ArgumentException">A span's length does not match the layout.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void LogForward<T>(ReadOnlySpan<T> x, Span<T> y, ReductionLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T> => Run(x, x, y, layout, Mode.LogSoftmax);

    /// <summary>Softmax backward: dx = (g − Σ g·y)·y along the dimension, from the saved output y.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="output">The saved softmax output y.</param>
    /// <param name="gradInput">The gradient with respect to the input.</param>
    /// <param name="layout">The <c>[outer, size, inner]</c> view of the data.</param>
    /// <exception cref="ArgumentException">A span's length does not match the layout.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> output, Span<T> gradInput, ReductionLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T> => Run(gradOutput, output, gradInput, layout, Mode.SoftmaxBackward);

    /// <summary>Log-softmax backward: dx = g − exp(y)·Σ g along the dimension, from the saved output y.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="output">The saved log-softmax output y.</param>
    /// <param name="gradInput">The gradient with respect to the input.</param>
    /// <param name="layout">The <c>[outer, size, inner]</c> view of the data.</param>
    /// <exception cref="ArgumentException">A span's length does not match the layout.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void LogBackward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> output, Span<T> gradInput, ReductionLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T> => Run(gradOutput, output, gradInput, layout, Mode.LogSoftmaxBackward);

    private enum Mode
    {
        Softmax,
        LogSoftmax,
        SoftmaxBackward,
        LogSoftmaxBackward,
    }

    private static unsafe void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> dst, ReductionLayout layout, Mode mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        KernelLoop.EnsureSupported<T>();
        layout.Validate(a.Length, "input");
        layout.Validate(b.Length, "saved");
        layout.Validate(dst.Length, "output");
        fixed (T* pa = a, pb = b, pd = dst)
        {
            KernelLoop.Run(new Rows<T>(pa, pb, pd, layout.Size, layout.Inner, mode), layout.Outer, (long)layout.Size * layout.Inner);
        }
    }

    // Outer slices [start, end), each [size, inner].
    private readonly unsafe struct Rows<T>(T* a, T* b, T* dst, int size, int inner, Mode mode) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(long start, long end, bool vectorized)
        {
            int slice = size * inner;
            for (long o = start; o < end; o++)
            {
                long offset = o * slice;
                Slice(new ReadOnlySpan<T>(a + offset, slice), new ReadOnlySpan<T>(b + offset, slice), new Span<T>(dst + offset, slice), size, inner, mode);
            }
        }
    }

    // One outer slice [size, inner]; columns processed in blocks of up to BlockSize.
    [SkipLocalsInit]
    private static void Slice<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> dst, int size, int inner, Mode mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (size == 0 || inner == 0)
        {
            return;
        }

        // Scratch blocks, not zeroed ([SkipLocalsInit]): every element is written before it is read.
        Span<T> tmp = stackalloc T[KernelLoop.BlockSize];
        if (inner == 1)
        {
            Row(a, b, dst, tmp, mode);
            return;
        }

        Span<T> acc = stackalloc T[KernelLoop.BlockSize];
        Span<T> sums = stackalloc T[KernelLoop.BlockSize];

        for (int c0 = 0; c0 < inner; c0 += KernelLoop.BlockSize)
        {
            int n = Math.Min(KernelLoop.BlockSize, inner - c0);
            Span<T> m = acc[..n];
            Span<T> t = tmp[..n];
            switch (mode)
            {
                case Mode.Softmax:
                case Mode.LogSoftmax:
                    a.Slice(c0, n).CopyTo(m);
                    for (int j = 1; j < size; j++)
                    {
                        TensorPrimitives.Max(m, a.Slice((j * inner) + c0, n), m);
                    }

                    // dst_j = x_j - m first, then the sum of exp into a second accumulator.
                    Span<T> s = sums[..n];
                    s.Clear();
                    for (int j = 0; j < size; j++)
                    {
                        Span<T> d = dst.Slice((j * inner) + c0, n);
                        TensorPrimitives.Subtract(a.Slice((j * inner) + c0, n), m, d);
                        if (mode == Mode.Softmax)
                        {
                            ElementwiseKernel.Forward<T, ExpOperator>(d, d, default);
                            TensorPrimitives.Add(s, d, s);
                        }
                        else
                        {
                            ElementwiseKernel.Forward<T, ExpOperator>(d, t, default);
                            TensorPrimitives.Add(s, t, s);
                        }
                    }

                    if (mode == Mode.Softmax)
                    {
                        TensorPrimitives.Divide(T.One, s, s);
                        for (int j = 0; j < size; j++)
                        {
                            Span<T> d = dst.Slice((j * inner) + c0, n);
                            TensorPrimitives.Multiply(d, s, d);
                        }
                    }
                    else
                    {
                        TensorPrimitives.Log(s, s);
                        for (int j = 0; j < size; j++)
                        {
                            Span<T> d = dst.Slice((j * inner) + c0, n);
                            TensorPrimitives.Subtract(d, s, d);
                        }
                    }

                    break;
                case Mode.SoftmaxBackward:
                    m.Clear();
                    for (int j = 0; j < size; j++)
                    {
                        TensorPrimitives.Multiply(a.Slice((j * inner) + c0, n), b.Slice((j * inner) + c0, n), t);
                        TensorPrimitives.Add(m, t, m);
                    }

                    for (int j = 0; j < size; j++)
                    {
                        Span<T> d = dst.Slice((j * inner) + c0, n);
                        TensorPrimitives.Subtract(a.Slice((j * inner) + c0, n), m, t);
                        TensorPrimitives.Multiply(t, b.Slice((j * inner) + c0, n), d);
                    }

                    break;
                default:
                    m.Clear();
                    for (int j = 0; j < size; j++)
                    {
                        TensorPrimitives.Add(m, a.Slice((j * inner) + c0, n), m);
                    }

                    for (int j = 0; j < size; j++)
                    {
                        Span<T> d = dst.Slice((j * inner) + c0, n);
                        ElementwiseKernel.Forward<T, ExpOperator>(b.Slice((j * inner) + c0, n), t, default);
                        TensorPrimitives.Multiply(t, m, t);
                        TensorPrimitives.Subtract(a.Slice((j * inner) + c0, n), t, d);
                    }

                    break;
            }
        }
    }

    // A contiguous row (inner == 1).
    private static void Row<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> dst, Span<T> tmp, Mode mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (mode)
        {
            case Mode.Softmax:
            {
                // exp(x − m) in one pass (the same subtraction, rounded the same way, as a separate pass would do).
                T m = TensorPrimitives.Max(a);
                ElementwiseKernel.Forward(a, dst, new ExpOperator(double.CreateTruncating(m)));
                T s = TensorPrimitives.Sum<T>(dst);
                TensorPrimitives.Multiply(dst, T.One / s, dst);
                break;
            }

            case Mode.LogSoftmax:
            {
                T m = TensorPrimitives.Max(a);
                TensorPrimitives.Subtract(a, m, dst);
                T s = T.Zero;
                for (int c0 = 0; c0 < dst.Length; c0 += tmp.Length)
                {
                    int n = Math.Min(tmp.Length, dst.Length - c0);
                    ElementwiseKernel.Forward<T, ExpOperator>(dst.Slice(c0, n), tmp[..n], default);
                    s += TensorPrimitives.Sum<T>(tmp[..n]);
                }

                TensorPrimitives.Subtract(dst, T.Log(s), dst);
                break;
            }

            case Mode.SoftmaxBackward:
            {
                T dot = TensorPrimitives.Dot(a, b);
                for (int c0 = 0; c0 < dst.Length; c0 += tmp.Length)
                {
                    int n = Math.Min(tmp.Length, dst.Length - c0);
                    TensorPrimitives.Subtract(a.Slice(c0, n), dot, tmp[..n]);
                    TensorPrimitives.Multiply(tmp[..n], b.Slice(c0, n), dst.Slice(c0, n));
                }

                break;
            }

            default:
            {
                T sum = TensorPrimitives.Sum<T>(a);
                for (int c0 = 0; c0 < dst.Length; c0 += tmp.Length)
                {
                    int n = Math.Min(tmp.Length, dst.Length - c0);
                    ElementwiseKernel.Forward<T, ExpOperator>(b.Slice(c0, n), tmp[..n], default);
                    TensorPrimitives.Multiply(tmp[..n], sum, tmp[..n]);
                    TensorPrimitives.Subtract(a.Slice(c0, n), tmp[..n], dst.Slice(c0, n));
                }

                break;
            }
        }
    }
}
