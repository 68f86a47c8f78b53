using TorchFacade.Reference.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>The custom autograd function of <see cref="PReLU"/>. Arguments: (Tensor input, Tensor weight).</summary>
internal sealed class PreluFunction : autograd.SingleTensorFunction<PreluFunction>
{
    /// <inheritdoc />
    public override string Name => "ReferencePreluBackward";

    /// <inheritdoc />
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var w = (Tensor)vars[1];
        ctx.save_for_backward([x, w]);
        if (TensorBridge.UsesKernel(x))
        {
            var layout = PReLU.LayoutOf(x);
            using var wc = w.to_type(x.dtype).contiguous();
            return TensorBridge.RunUnary(
                x,
                (a, y) => PreluKernel.Forward(a, TensorBridge.Span<float>(wc), y, layout),
                (a, y) => PreluKernel.Forward(a, TensorBridge.Span<double>(wc), y, layout));
        }

        return TensorBridge.Composed(w, x, (ww, xx) => where(xx.gt(0), xx, PReLU.BroadcastWeight(ww, xx).mul(xx)));
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        Tensor x = saved[0], w = saved[1];
        if (TensorBridge.UsesKernelBackward(x))
        {
            var layout = PReLU.LayoutOf(x);
            using var gc = grad_output.to_type(x.dtype).contiguous();
            using var xc = x.contiguous();
            using var wc = w.to_type(x.dtype).contiguous();
            var dx = empty(x.shape, x.dtype, x.device);
            var dw = empty(w.shape, x.dtype, x.device);
            if (x.dtype == ScalarType.Float32)
            {
                PreluKernel.Backward(TensorBridge.Span<float>(gc), TensorBridge.Span<float>(xc), TensorBridge.Span<float>(wc), TensorBridge.Span<float>(dx), TensorBridge.Span<float>(dw), layout);
            }
            else
            {
                PreluKernel.Backward(TensorBridge.Span<double>(gc), TensorBridge.Span<double>(xc), TensorBridge.Span<double>(wc), TensorBridge.Span<double>(dx), TensorBridge.Span<double>(dw), layout);
            }

            return [dx, dw.to_type(w.dtype)];
        }

        var gx = TensorBridge.Composed(grad_output, x, (g, xx) => where(xx.gt(0), g, PReLU.BroadcastWeight(w.to_type(xx.dtype), xx).mul(g)));
        var contribution = TensorBridge.Composed(grad_output, x, (g, xx) => where(xx.gt(0), zeros_like(xx), xx.mul(g)));
        var sumType = TensorBridge.IsReduced(x.dtype) ? ScalarType.Float32 : x.dtype;
        Tensor gw;
        if (w.numel() == 1 || x.dim() < 2)
        {
            gw = contribution.to_type(sumType).sum().reshape(w.shape);
        }
        else
        {
            long[] dims = Enumerable.Range(0, (int)x.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();
            gw = contribution.to_type(sumType).sum(dims);
        }

        return [TensorBridge.KeepConnected(gx, x), gw.to_type(w.dtype)];
    }
}
