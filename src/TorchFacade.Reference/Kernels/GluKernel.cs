using System.Numerics;
using System.Numerics.Tensors;
using TorchFacade.Reference.Kernels.Operators;

namespace TorchFacade.Reference.Kernels;

/// <summary>
/// Managed GLU kernel along one dimension: the input's <c>[outer, 2·half, inner]</c> view is split into
/// a = first half and b = second half (the gate); y = a·σ(b); backward da = g·σ(b), db = g·a·σ(b)·(1 − σ(b)).
/// </summary>
internal static class GluKernel
{
    /// <summary>Forward: y = a·σ(b).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">The input, contiguous, laid out as <paramref name="inputLayout"/>.</param>
    /// <param name="y">The output, half the input's length.</param>
    /// <param name="inputLayout">The input's <c>[outer, size, inner]</c> view; <c>size</c> must be even.</param>
    /// <exception cref="ArgumentException">Odd size along the dimension, or span lengths that do not match the layout.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, ReductionLayout inputLayout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = Check<T>(x.Length, y.Length, inputLayout);
        for (int o = 0; o < inputLayout.Outer; o++)
        {
            ReadOnlySpan<T> a = x.Slice(2 * o * block, block);
            ReadOnlySpan<T> b = x.Slice((2 * o * block) + block, block);
            Span<T> dst = y.Slice(o * block, block);
            ElementwiseKernel.Forward(b, dst, default(SigmoidOperator));
            TensorPrimitives.Multiply(a, dst, dst);
        }
    }

    /// <summary>Backward: writes da into the first half and db into the second half of <paramref name="gradInput"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="gradOutput">The incoming gradient g (half the input's length).</param>
    /// <param name="input">The saved input x.</param>
    /// <param name="gradInput">The gradient with respect to x (the input's length).</param>
    /// <param name="inputLayout">The input's <c>[outer, size, inner]</c> view.</param>
    /// <exception cref="ArgumentException">Odd size along the dimension, or span lengths that do not match the layout.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Backward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> input, Span<T> gradInput, ReductionLayout inputLayout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = Check<T>(input.Length, gradOutput.Length, inputLayout);
        KernelLoop.EnsureSameLength(input.Length, gradInput.Length, nameof(gradInput));
        for (int o = 0; o < inputLayout.Outer; o++)
        {
            ReadOnlySpan<T> g = gradOutput.Slice(o * block, block);
            ReadOnlySpan<T> a = input.Slice(2 * o * block, block);
            ReadOnlySpan<T> b = input.Slice((2 * o * block) + block, block);
            Span<T> da = gradInput.Slice(2 * o * block, block);
            Span<T> db = gradInput.Slice((2 * o * block) + block, block);
            ElementwiseKernel.Forward(b, da, default(SigmoidOperator));           // σ(b)
            TensorPrimitives.Subtract(T.One, da, db);      // 1 - σ
            TensorPrimitives.Multiply(db, da, db);         // σ(1 - σ)
            TensorPrimitives.Multiply(db, a, db);
            TensorPrimitives.Multiply(db, g, db);          // g·a·σ·(1 - σ)
            TensorPrimitives.Multiply(da, g, da);          // g·σ
        }
    }

    private static int Check<T>(int inputLength, int halfLength, ReductionLayout layout)
    {
        KernelLoop.EnsureSupported<T>();
        layout.Validate(inputLength, "input");
        if (layout.Size % 2 != 0)
        {
            throw new ArgumentException($"GLU halves the input along its dimension, whose size must be even; it is {layout.Size}.", nameof(layout));
        }

        int block = layout.Size / 2 * layout.Inner;
        KernelLoop.EnsureSameLength(inputLength / 2, halfLength, "half");
        return block;
    }
}
