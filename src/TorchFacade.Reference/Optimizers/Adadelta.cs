using System.Numerics;
using TorchFacade.Optim;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Optimizers.Kernels;
using TorchSharp;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.Adadelta</c> written from scratch (PyTorch 2.6 single-tensor semantics):
/// s ← ρ·s + (1−ρ)·g²; Δ = √(a + eps) / √(s + eps) · g; a ← ρ·a + (1−ρ)·Δ²; p ← p − lr·Δ.
/// </summary>
public sealed partial class Adadelta : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones are skipped while their grad is null).</param>
    /// <param name="lr">Learning rate (scales Δ).</param>
    /// <param name="rho">Running-average coefficient ρ.</param>
    /// <param name="eps">Added inside both square roots.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad parameter list.</exception>
    public Adadelta(IEnumerable<torch.Tensor> parameters, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false, bool capturable = false, bool? @foreach = null, bool differentiable = false)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], lr, rho, eps, weightDecay, maximize, capturable, @foreach, differentiable)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are every group's defaults.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate (scales Δ).</param>
    /// <param name="rho">Running-average coefficient ρ.</param>
    /// <param name="eps">Added inside both square roots.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad group.</exception>
    public Adadelta(IEnumerable<ParamGroup> groups, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false, bool capturable = false, bool? @foreach = null, bool differentiable = false)
        : base(groups, OptimizerDefaults.Adadelta(lr, rho, eps, weightDecay, maximize, capturable, @foreach, differentiable))
    {
    }

    /// <inheritdoc />
    private protected override bool DecaysBeforeRealView => true;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "square_avg", "acc_delta"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => ["step"];


    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        double lr = group.Lr, rho = group.GetDouble("rho"), eps = group.GetDouble("eps"), wd = state.DecayApplied ? 0 : group.GetDouble("weight_decay");
        torch.Tensor sq = state.Zeros("square_avg", parameter);
        torch.Tensor acc = state.Zeros("acc_delta", parameter);
        if (fused)
        {
            if (parameter.dtype == torch.ScalarType.Float32)
            {
                Fused<float>(group, parameter, grad, sq, acc);
            }
            else
            {
                Fused<double>(group, parameter, grad, sq, acc);
            }

            return;
        }

        torch.Tensor g = group.GetBool("maximize") && !state.DecayApplied ? grad.neg() : grad;
        if (wd != 0)
        {
            g = g.add(parameter, alpha: wd);
        }

        sq.mul_(rho).addcmul_(g, g, value: 1 - rho);
        torch.Tensor std = sq.add(eps).sqrt_();
        torch.Tensor delta = acc.add(eps).sqrt_();
        delta.div_(std).mul_(g);
        acc.mul_(rho).addcmul_(delta, delta, value: 1 - rho);
        parameter.add_(delta, alpha: -lr);
    }

    private static unsafe void Fused<T>(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, torch.Tensor sq, torch.Tensor acc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double rho = group.GetDouble("rho"), wd = group.GetDouble("weight_decay");
        var kernel = new AdadeltaKernel<T>
        {
            P = Ptr<T>(parameter), G = Ptr<T>(grad), SquareAvg = Ptr<T>(sq), AccDelta = Ptr<T>(acc),
            Maximize = group.GetBool("maximize"),
            HasWeightDecay = wd != 0,
            WeightDecay = Cast<T>(wd),
            Rho = Cast<T>(rho),
            OneMinusRho = Cast<T>(1 - rho),
            Eps = Cast<T>(group.GetDouble("eps")),
            NegLr = Cast<T>(-group.Lr),
        };
        KernelLoop.Run(kernel, parameter.numel());
    }
}
