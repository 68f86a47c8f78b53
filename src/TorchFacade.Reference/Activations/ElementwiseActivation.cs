using System.Numerics;
using TorchFacade.Reference.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Base of the element-wise reference activations: a TorchSharp <c>nn.Module&lt;Tensor, Tensor&gt;</c> whose forward runs
/// the managed span kernel on CPU float32/float64 tensors (a composition of elementary tensor ops elsewhere), and
/// whose backward is the activation's own analytic derivative (a custom autograd function), not autograd of a
/// composition. <see cref="Value"/> and <see cref="Derivative"/> are the scalar definition in double: the oracle.
/// </summary>
public abstract class ElementwiseActivation : nn.Module<Tensor, Tensor>
{
    private ReferenceActivation.Step? step;

    /// <summary>Creates the module.</summary>
    /// <param name="name">The module's name (as TorchSharp shows it).</param>
    private protected ElementwiseActivation(string name)
        : base(name)
    {
    }

    /// <summary>The scalar definition f(x), evaluated in double (the oracle).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>f(x).</returns>
    public abstract double Value(double x);

    /// <summary>The derivative f'(x) as PyTorch's backward returns it (kinks included), evaluated in double.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>f'(x).</returns>
    public abstract double Derivative(double x);

    /// <summary>Applies the activation element-wise; differentiable through its analytic derivative.</summary>
    /// <param name="input">A floating-point tensor of any shape and device.</param>
    /// <returns>A new tensor of the same shape, dtype and device.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not floating-point.</exception>
    public override Tensor forward(Tensor input)
    {
        TensorBridge.ValidateInput(input, GetName(), this);
        if (!TensorBridge.RecordsGraph(input))
        {
            return ForwardTensor(input);
        }

        step ??= new ReferenceActivation.Step(ForwardTensor, (g, saved) => TensorBridge.KeepConnected(BackwardTensor(g, saved), saved), BackwardUsesOutput);
        return ReferenceActivation.TryApply(input, step) ?? ElementwiseFunction.apply(input, this);
    }

    /// <summary>
    /// Whether the backward reads the saved output y (as PyTorch's sigmoid, tanh and relu backward do) rather than
    /// the input x. In reduced precision the derivative is then that of the rounded output.
    /// </summary>
    public virtual bool BackwardUsesOutput => false;

    /// <summary>Runs the span kernel: hands <paramref name="call"/> the activation's operator, its constants rounded to <typeparamref name="T"/>.</summary>
    internal abstract void Kernel<T>(ElementwiseCall<T> call)
        where T : unmanaged, IFloatingPointIeee754<T>;

    internal void KernelForward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Kernel(new ElementwiseCall<T>(x, y));

    internal void KernelBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> => Kernel(new ElementwiseCall<T>(g, saved, dx));

    /// <summary>The forward as elementary tensor ops (any device; float16/bfloat16 are computed in float32).</summary>
    internal abstract Tensor ComposedForward(Tensor x);

    /// <summary>The backward g·f'(saved) as elementary tensor ops.</summary>
    internal abstract Tensor ComposedBackward(Tensor g, Tensor saved);

    internal Tensor ForwardTensor(Tensor x) =>
        TensorBridge.UsesKernel(x)
            ? TensorBridge.RunUnary(x, KernelForward, KernelForward)
            : TensorBridge.Composed(x, ComposedForward);

    internal Tensor BackwardTensor(Tensor g, Tensor saved) =>
        TensorBridge.UsesKernelBackward(saved)
            ? TensorBridge.RunBinary(g, saved, KernelBackward, KernelBackward)
            : TensorBridge.Composed(g, saved, ComposedBackward);

    /// <summary>A hyperparameter rounded to <typeparamref name="T"/>, as ATen casts a double scalar to the tensor's dtype.</summary>
    private protected static double RoundTo<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T> => ElementwiseKernel.RoundTo<T>(value);

    /// <summary><paramref name="value"/>, or an <see cref="ArgumentException"/> "<paramref name="what"/> must be finite" when it is NaN or infinite.</summary>
    private protected static double Finite(double value, string what) =>
        double.IsFinite(value) ? value : throw new ArgumentException($"{what} must be finite, got {value}.");

    private protected static double Sigma(double x)
    {
        if (x < 0)
        {
            double e = Math.Exp(x);
            return e / (1 + e);
        }

        return 1 / (1 + Math.Exp(-x));
    }

    /// <summary>log(1 + u) accurately for small u.</summary>
    private protected static double Log1P(double u)
    {
        double w = 1 + u;
        if (w == 1 || double.IsInfinity(w) || double.IsNaN(w))
        {
            return w == 1 ? u : Math.Log(w);
        }

        return Math.Log(w) * u / (w - 1);
    }

    /// <summary>exp(x) − 1 accurately for small x.</summary>
    private protected static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1)
        {
            return x;
        }

        double um1 = u - 1;
        if (um1 == -1 || double.IsInfinity(u))
        {
            return um1;
        }

        return um1 * x / Math.Log(u);
    }
}
