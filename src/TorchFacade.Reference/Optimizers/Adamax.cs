using System.Numerics;
using TorchFacade.Optim;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Optimizers.Kernels;
using TorchSharp;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.Adamax</c> written from scratch (PyTorch 2.6 single-tensor semantics): m ← lerp(m, g, 1−β1);
/// u ← max(β2·u, |g| + eps); p ← p − (lr / (1 − β1^t))·m / u.
/// </summary>
public sealed partial class Adamax : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones are skipped while their grad is null).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to |g| before the maximum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="capturable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad parameter list.</exception>
    public Adamax(IEnumerable<torch.Tensor> parameters, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool capturable = false)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], lr, betas, eps, weightDecay, maximize, @foreach, differentiable, capturable)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are every group's defaults.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to |g| before the maximum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="capturable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad group.</exception>
    public Adamax(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool capturable = false)
        : base(groups, OptimizerDefaults.Adamax(lr, betas ?? (0.9, 0.999), eps, weightDecay, maximize, @foreach, differentiable, capturable))
    {
    }

    /// <inheritdoc />
    private protected override bool DecaysBeforeRealView => true;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "exp_avg", "exp_inf"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => ["step"];


    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        (double beta1, double beta2) = group.GetPair("betas");
        double lr = group.Lr, wd = state.DecayApplied ? 0 : group.GetDouble("weight_decay"), eps = group.GetDouble("eps");
        torch.Tensor m = state.Zeros("exp_avg", parameter);
        torch.Tensor u = state.Zeros("exp_inf", parameter);
        double clr = lr / (1 - Math.Pow(beta1, state.Step));
        if (fused)
        {
            if (parameter.dtype == torch.ScalarType.Float32)
            {
                Fused<float>(group, parameter, grad, m, u, clr);
            }
            else
            {
                Fused<double>(group, parameter, grad, m, u, clr);
            }

            return;
        }

        torch.Tensor g = group.GetBool("maximize") && !state.DecayApplied ? grad.neg() : grad;
        if (wd != 0)
        {
            g = g.add(parameter, alpha: wd);
        }

        m.lerp_(g, 1 - beta1);
        u.copy_(torch.maximum(u.mul_(beta2), g.abs().add_(eps)));
        parameter.addcdiv_(m, u, value: -clr);
    }

    private static unsafe void Fused<T>(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, torch.Tensor m, torch.Tensor u, double clr)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        (double beta1, double beta2) = group.GetPair("betas");
        double wd = group.GetDouble("weight_decay");
        var kernel = new AdamaxKernel<T>
        {
            P = Ptr<T>(parameter), G = Ptr<T>(grad), M = Ptr<T>(m), U = Ptr<T>(u),
            Maximize = group.GetBool("maximize"),
            HasWeightDecay = wd != 0,
            WeightDecay = Cast<T>(wd),
            Lerp = new LerpWeight<T>(1 - beta1),
            Beta2 = Cast<T>(beta2),
            Eps = Cast<T>(group.GetDouble("eps")),
            NegClr = Cast<T>(-clr),
        };
        KernelLoop.Run(kernel, parameter.numel());
    }
}
