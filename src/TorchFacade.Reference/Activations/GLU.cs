using TorchFacade.Reference.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>
/// Gated linear unit along <see cref="Dim"/>; PyTorch <c>nn.GLU(dim=-1)</c>: split the input into halves a‖b
/// along the dimension (its size must be even) and return a ⊙ σ(b) — the <b>second</b> half is the gate. Backward:
/// da = g·σ(b), db = g·a·σ(b)(1 − σ(b)). (Not x·σ(W₁x): GLU layers need two projections; see the FFN blocks.)
/// </summary>
public sealed class GLU : nn.Module<Tensor, Tensor>, IDimActivation
{
    /// <summary>Creates the module.</summary>
    /// <param name="dim">The dimension to split (default −1, the last).</param>
    public GLU(long dim = -1)
        : base(nameof(GLU)) => Dim = dim;

    /// <summary>The dimension split into value and gate halves.</summary>
    public long Dim { get; }

    bool IDimActivation.SavesOutput => false;

    /// <summary>Applies GLU along <see cref="Dim"/>.</summary>
    /// <param name="input">A floating-point tensor with at least one dimension, of even size along <see cref="Dim"/>.</param>
    /// <returns>A new tensor, half the size along <see cref="Dim"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not floating-point, is 0-d, or has an odd size along <see cref="Dim"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Dim"/> is not a dimension of <paramref name="input"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        TensorBridge.ValidateInput(input, nameof(GLU), this);
        if (input.dim() == 0)
        {
            throw new ArgumentException("GLU does not support 0-d (scalar) tensors: it halves the input along a dimension.");
        }

        int dim = TensorBridge.NormalizeDim(Dim, input.dim(), nameof(GLU));
        long size = input.shape[dim];
        if (size % 2 != 0)
        {
            throw new ArgumentException($"GLU halves the input along dim {Dim}, so its size there must be even, but it is {size} (shape [{string.Join(", ", input.shape)}]).");
        }

        return DimFunction.Run(input, this, dim);
    }

    Tensor IDimActivation.ForwardTensor(Tensor x, int dim)
    {
        if (TensorBridge.UsesKernel(x))
        {
            var layout = ReductionLayout.Of(x.shape, dim);
            long[] shape = x.shape;
            shape[dim] /= 2;
            using var xc = x.contiguous();
            var y = empty(shape, x.dtype, x.device);
            if (xc.numel() > 0)
            {
                if (x.dtype == ScalarType.Float32)
                {
                    GluKernel.Forward(TensorBridge.Span<float>(xc), TensorBridge.Span<float>(y), layout);
                }
                else
                {
                    GluKernel.Forward(TensorBridge.Span<double>(xc), TensorBridge.Span<double>(y), layout);
                }
            }

            return y;
        }

        return TensorBridge.Composed(x, t =>
        {
            var halves = t.chunk(2, dim);
            return halves[0].mul(Compose.Sigmoid(halves[1]));
        });
    }

    Tensor IDimActivation.BackwardTensor(Tensor g, Tensor saved, int dim)
    {
        if (TensorBridge.UsesKernelBackward(saved))
        {
            var layout = ReductionLayout.Of(saved.shape, dim);
            using var gc = g.to_type(saved.dtype).contiguous();
            using var xc = saved.contiguous();
            var dx = empty(saved.shape, saved.dtype, saved.device);
            if (xc.numel() > 0)
            {
                if (saved.dtype == ScalarType.Float32)
                {
                    GluKernel.Backward(TensorBridge.Span<float>(gc), TensorBridge.Span<float>(xc), TensorBridge.Span<float>(dx), layout);
                }
                else
                {
                    GluKernel.Backward(TensorBridge.Span<double>(gc), TensorBridge.Span<double>(xc), TensorBridge.Span<double>(dx), layout);
                }
            }

            return dx;
        }

        return TensorBridge.Composed(g, saved, (gg, x) =>
        {
            var halves = x.chunk(2, dim);
            var s = Compose.Sigmoid(halves[1]);
            var da = gg.mul(s);
            var db = gg.mul(halves[0]).mul(s).mul(Compose.OneMinus(s));
            return cat([da, db], dim);
        });
    }
}
