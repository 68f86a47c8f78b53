using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Layers;

/// <summary>
/// GroupNorm as a custom autograd function with its analytic backward (E.4 of the reference maths): per sample and group,
/// <c>x̂ = (x − μ)·rstd</c>, <c>y = x̂·γ_c + β_c</c>; backward <c>dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))</c> with
/// <c>ĝ = g·γ_c</c>, <c>dγ = Σ g·x̂</c>, <c>dβ = Σ g</c> over the batch and spatial positions.
/// Arguments: input, weight (or null), bias (or null), groups (long), eps (double).
/// </summary>
internal sealed class GroupNormFunction : torch.autograd.SingleTensorFunction<GroupNormFunction>
{
    private const string GroupsKey = "groups";
    private const string HasWeightKey = "hasWeight";
    private const string HasBiasKey = "hasBias";

    public override string Name => "ReferenceGroupNormBackward";

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var weight = vars[1] as Tensor;
        var bias = vars[2] as Tensor;
        long groups = (long)vars[3];
        double eps = (double)vars[4];

        long n = input.shape[0];
        Tensor grouped = input.reshape(n, groups, -1);
        Tensor mean = grouped.mean([2L], keepdim: true);
        Tensor centered = grouped - mean;
        Tensor variance = (centered * centered).mean([2L], keepdim: true);
        Tensor rstd = (variance + eps).rsqrt();
        Tensor normalized = (centered * rstd).reshape(input.shape);

        long[] channelShape = ChannelShape(input);
        Tensor output = weight is null ? normalized.clone() : normalized * weight.reshape(channelShape);
        if (bias is not null)
        {
            output = output + bias.reshape(channelShape);
        }

        ctx.save_for_backward([normalized, rstd, weight!]);
        ctx.save_data(GroupsKey, groups);
        ctx.save_data(HasWeightKey, weight is not null);
        ctx.save_data(HasBiasKey, bias is not null);
        return output;
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor normalized = saved[0], rstd = saved[1];
        Tensor? weight = saved.Count > 2 ? saved[2] : null;
        long groups = (long)ctx.get_data(GroupsKey);
        bool hasWeight = (bool)ctx.get_data(HasWeightKey);
        bool hasBias = (bool)ctx.get_data(HasBiasKey);

        long n = normalized.shape[0];
        long[] channelShape = ChannelShape(normalized);
        long[] reduceDims = Enumerable.Range(0, (int)normalized.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();

        Tensor scaledGrad = hasWeight && weight is not null ? grad_output * weight.reshape(channelShape) : grad_output;
        Tensor g = scaledGrad.reshape(n, groups, -1);
        Tensor xhat = normalized.reshape(n, groups, -1);
        Tensor meanG = g.mean([2L], keepdim: true);
        Tensor meanGx = (g * xhat).mean([2L], keepdim: true);
        Tensor gradInput = (rstd * (g - meanG - (xhat * meanGx))).reshape(normalized.shape);

        Tensor? gradWeight = hasWeight ? (grad_output * normalized).sum(reduceDims) : null;
        Tensor? gradBias = hasBias ? grad_output.sum(reduceDims) : null;
        return [gradInput, gradWeight!, gradBias!, null!, null!];
    }

    private static long[] ChannelShape(Tensor input)
    {
        long[] shape = Enumerable.Repeat(1L, (int)input.dim()).ToArray();
        shape[1] = input.shape[1];
        return shape;
    }
}
