using System.Numerics;
using System.Numerics.Tensors;
using TorchFacade.Reference.Kernels.Operators;

namespace TorchFacade.Reference.Kernels;

/// <summary>
/// Managed PReLU kernel over a contiguous tensor seen as <c>[outer, channels, inner]</c> (channels = dim 1):
/// y = x &gt; 0 ? x : w[c]·x; dx = x &gt; 0 ? g : w[c]·g; dw[c] = Σ over channel c of (x &gt; 0 ? 0 : x·g).
/// A single weight applies to every channel.
/// </summary>
internal static class PreluKernel
{
    /// <summary>Forward.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="weight">One weight, or one per channel.</param>
    /// <param name="y">The output (same length as <paramref name="x"/>).</param>
    /// <param name="layout">The <c>[outer, channels, inner]</c> view of the input.</param>
    /// <exception cref="ArgumentException">The weight count is neither 1 nor the channel count, or span lengths do not match.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> y, ReductionLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check<T>(x.Length, weight.Length, layout);
        KernelLoop.EnsureSameLength(x.Length, y.Length, nameof(y));
        if (weight.Length == 1)
        {
            ElementwiseKernel.Forward(x, y, new LeakyReluOperator(double.CreateTruncating(weight[0])));
            return;
        }

        for (int o = 0; o < layout.Outer; o++)
        {
            for (int c = 0; c < layout.Size; c++)
            {
                int start = ((o * layout.Size) + c) * layout.Inner;
                ElementwiseKernel.Forward(x.Slice(start, layout.Inner), y.Slice(start, layout.Inner), new LeakyReluOperator(double.CreateTruncating(weight[c])));
            }
        }
    }

    /// <summary>Backward: the input gradient and the weight gradient (summed over all but the channel dimension).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g.</param>
    /// <param name="x">The saved input.</param>
    /// <param name="weight">The weight used in the forward.</param>
    /// <param name="gradInput">The input gradient (same length as <paramref name="x"/>).</param>
    /// <param name="gradWeight">The weight gradient (same length as <paramref name="weight"/>), overwritten.</param>
    /// <param name="layout">The <c>[outer, channels, inner]</c> view of the input.</param>
    /// <exception cref="ArgumentException">The weight count is neither 1 nor the channel count, or span lengths do not match.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> gradInput, Span<T> gradWeight, ReductionLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check<T>(x.Length, weight.Length, layout);
        KernelLoop.EnsureSameLength(x.Length, gradOutput.Length, nameof(gradOutput));
        KernelLoop.EnsureSameLength(x.Length, gradInput.Length, nameof(gradInput));
        KernelLoop.EnsureSameLength(weight.Length, gradWeight.Length, nameof(gradWeight));
        Span<double> sums = weight.Length <= 256 ? stackalloc double[weight.Length] : new double[weight.Length];
        sums.Clear();
        Span<T> prod = stackalloc T[KernelLoop.BlockSize];
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int c = 0; c < layout.Size; c++)
            {
                int w = weight.Length == 1 ? 0 : c;
                int start = ((o * layout.Size) + c) * layout.Inner;
                ReadOnlySpan<T> xs = x.Slice(start, layout.Inner);
                ReadOnlySpan<T> gs = gradOutput.Slice(start, layout.Inner);
                ElementwiseKernel.Backward(gs, xs, gradInput.Slice(start, layout.Inner), new LeakyReluOperator(double.CreateTruncating(weight[w])));
                for (int c0 = 0; c0 < layout.Inner; c0 += KernelLoop.BlockSize)
                {
                    int n = Math.Min(KernelLoop.BlockSize, layout.Inner - c0);
                    Span<T> p = prod[..n];
                    TensorPrimitives.Multiply(xs.Slice(c0, n), gs.Slice(c0, n), p);
                    for (int k = 0; k < n; k++)
                    {
                        p[k] = xs[c0 + k] > T.Zero ? T.Zero : p[k];   // only x <= 0 (and NaN) feeds the weight
                    }

                    sums[w] += double.CreateTruncating(TensorPrimitives.Sum<T>(p));
                }
            }
        }

        for (int i = 0; i < weight.Length; i++)
        {
            gradWeight[i] = T.CreateTruncating(sums[i]);
        }
    }

    private static void Check<T>(int length, int weightCount, ReductionLayout layout)
    {
        KernelLoop.EnsureSupported<T>();
        layout.Validate(length, "input");
        if (weightCount != 1 && weightCount != layout.Size)
        {
            throw new ArgumentException($"PReLU has {weightCount} weights but the input has {layout.Size} channels (dim 1); use 1 weight or one per channel.", "weight");
        }
    }
}
