using System.Numerics;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Kernels.Operators;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// One call of an element-wise activation's span kernel: a forward (x → y) or a backward (g, saved → dx). The module
/// hands it its operator once (constants rounded to <typeparamref name="T"/>), and the call runs the operator's
/// forward or backward over the spans.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly ref struct ElementwiseCall<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlySpan<T> input;
    private readonly ReadOnlySpan<T> saved;
    private readonly Span<T> output;
    private readonly bool backward;

    /// <summary>A forward call, y = f(x).</summary>
    public ElementwiseCall(ReadOnlySpan<T> x, Span<T> y)
    {
        input = x;
        output = y;
    }

    /// <summary>A backward call, dx = g·f'(saved).</summary>
    public ElementwiseCall(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx)
    {
        input = g;
        this.saved = saved;
        output = dx;
        backward = true;
    }

    /// <summary>Runs <paramref name="op"/>'s forward or backward over the spans.</summary>
    public void Run<TOp>(TOp op)
        where TOp : struct, IActivationOperator
    {
        if (backward)
        {
            ElementwiseKernel.Backward(input, saved, output, op);
        }
        else
        {
            ElementwiseKernel.Forward(input, output, op);
        }
    }
}
