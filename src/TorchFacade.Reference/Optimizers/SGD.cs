using System.Numerics;
using TorchFacade.Optim;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Optimizers.Kernels;
using TorchSharp;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.SGD</c> written from scratch (PyTorch 2.x single-tensor semantics):
/// g ← −g (maximize); g ← g + wd·p; with momentum μ: buf ← g on the first step, else buf ← μ·buf + (1−τ)·g,
/// g ← g + μ·buf (nesterov) or buf; p ← p − lr·g.
/// </summary>
public sealed class SGD : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors that require grad (the caller's own tensors; they are updated in place).</param>
    /// <param name="lr">Learning rate (PyTorch 2.x default 1e-3).</param>
    /// <param name="momentum">Momentum factor μ.</param>
    /// <param name="dampening">Dampening τ (not applied on the first step).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum: needs momentum &gt; 0 and dampening 0.</param>
    /// <param name="maximize">Negate the gradient first (ascend the objective); the L2 term still pulls toward 0.</param>
    /// <exception cref="ArgumentException">PyTorch's checks: <c>Invalid learning rate</c>, <c>Invalid momentum value</c>, <c>Invalid weight_decay value</c>, <c>Nesterov momentum requires a momentum and zero dampening</c>, or a bad parameter list.</exception>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups (the update is the same either way).</param>
    /// <param name="differentiable">Must be false (autograd through the step is not supported).</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag, kept in the groups.</param>
    public SGD(IEnumerable<torch.Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool? fused = null)
        : base(parameters, OptimizerDefaults.SGD(lr, momentum, dampening, weightDecay, nesterov, maximize, @foreach, differentiable, fused))
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are the defaults of every group.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="momentum">Momentum factor μ.</param>
    /// <param name="dampening">Dampening τ.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag.</param>
    /// <exception cref="ArgumentException">PyTorch's checks, or a bad group.</exception>
    public SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool? fused = null)
        : base(groups, OptimizerDefaults.SGD(lr, momentum, dampening, weightDecay, nesterov, maximize, @foreach, differentiable, fused))
    {
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["momentum_buffer"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => [];

    /// <inheritdoc />
    protected override bool CountsSteps => false;

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        if (fused)
        {
            if (parameter.dtype == torch.ScalarType.Float32)
            {
                Fused<float>(group, parameter, grad, state);
            }
            else
            {
                Fused<double>(group, parameter, grad, state);
            }

            return;
        }

        double lr = group.Lr, momentum = group.GetDouble("momentum"), dampening = group.GetDouble("dampening"), wd = group.GetDouble("weight_decay");
        torch.Tensor g = group.GetBool("maximize") ? grad.neg() : grad;
        if (wd != 0)
        {
            g = g.add(parameter, alpha: wd);
        }

        if (momentum != 0)
        {
            torch.Tensor? buf = state.Get("momentum_buffer");
            if (buf is null)
            {
                buf = state.Put("momentum_buffer", g.clone());
            }
            else
            {
                buf.mul_(momentum).add_(g, alpha: 1 - dampening);
            }

            g = group.GetBool("nesterov") ? g.add(buf, alpha: momentum) : buf;
        }

        parameter.add_(g, alpha: -lr);
    }

    private static unsafe void Fused<T>(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double momentum = group.GetDouble("momentum");
        bool first = false;
        torch.Tensor? buf = null;
        if (momentum != 0)
        {
            first = !state.Buffers.ContainsKey("momentum_buffer");
            buf = state.Zeros("momentum_buffer", parameter);
        }

        var kernel = new SGDKernel<T>
        {
            P = Ptr<T>(parameter), G = Ptr<T>(grad), Buf = Ptr<T>(buf),
            Maximize = group.GetBool("maximize"),
            HasWeightDecay = group.GetDouble("weight_decay") != 0,
            HasMomentum = momentum != 0,
            FirstStep = first,
            Nesterov = group.GetBool("nesterov"),
            WeightDecay = Cast<T>(group.GetDouble("weight_decay")),
            Momentum = Cast<T>(momentum),
            OneMinusDampening = Cast<T>(1 - group.GetDouble("dampening")),
            NegLr = Cast<T>(-group.Lr),
        };
        KernelLoop.Run(kernel, parameter.numel());
    }
}
