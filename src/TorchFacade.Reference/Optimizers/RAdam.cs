using System.Numerics;
using TorchFacade.Optim;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Optimizers.Kernels;
using TorchSharp;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.RAdam</c> written from scratch (PyTorch 2.6 single-tensor semantics): Adam whose adaptive
/// step is switched on once the variance rectification term ρ_t exceeds 5 (before that, bias-corrected momentum SGD);
/// <c>decoupled_weight_decay</c> gives RAdamW.
/// </summary>
public sealed partial class RAdam : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors (frozen ones are skipped while their grad is null).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Weight decay (L2, or decoupled).</param>
    /// <param name="decoupledWeightDecay">Decay the parameter directly instead of adding an L2 term.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad parameter list.</exception>
    public RAdam(IEnumerable<torch.Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false, bool maximize = false, bool? @foreach = null, bool capturable = false, bool differentiable = false)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], lr, betas, eps, weightDecay, decoupledWeightDecay, maximize, @foreach, capturable, differentiable)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (PyTorch's list of dicts); the values below are every group's defaults.</summary>
    /// <param name="groups">The groups, e.g. <c>new ParamGroup(head) { Lr = 0.1 }</c>.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">(β1, β2), default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Weight decay (L2, or decoupled).</param>
    /// <param name="decoupledWeightDecay">Decay the parameter directly instead of adding an L2 term.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks on the hyperparameters, or a bad group.</exception>
    public RAdam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false, bool maximize = false, bool? @foreach = null, bool capturable = false, bool differentiable = false)
        : base(groups, OptimizerDefaults.RAdam(lr, betas ?? (0.9, 0.999), eps, weightDecay, decoupledWeightDecay, maximize, @foreach, capturable, differentiable))
    {
    }

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "exp_avg", "exp_avg_sq"];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ScalarStateNames => ["step"];


    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        (double beta1, double beta2) = group.GetPair("betas");
        double lr = group.Lr, wd = group.GetDouble("weight_decay"), eps = group.GetDouble("eps");
        double step = state.Step;
        torch.Tensor m = state.Zeros("exp_avg", parameter);
        torch.Tensor v = state.Zeros("exp_avg_sq", parameter);
        double bc1 = 1 - Math.Pow(beta1, step);
        double bc2 = 1 - Math.Pow(beta2, step);
        double rhoInf = (2 / (1 - beta2)) - 1;
        double rhoT = rhoInf - (2 * step * Math.Pow(beta2, step) / bc2);
        bool rectified = rhoT > 5.0;
        double rect = rectified ? Math.Pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5) : 0;
        double bc2Sqrt = Math.Pow(bc2, 0.5);
        if (fused)
        {
            if (parameter.dtype == torch.ScalarType.Float32)
            {
                Fused<float>(group, parameter, grad, m, v, bc1, bc2Sqrt, rectified, rect);
            }
            else
            {
                Fused<double>(group, parameter, grad, m, v, bc1, bc2Sqrt, rectified, rect);
            }

            return;
        }

        torch.Tensor g = group.GetBool("maximize") ? grad.neg() : grad;
        if (wd != 0)
        {
            if (group.GetBool("decoupled_weight_decay"))
            {
                parameter.mul_(1 - (lr * wd));
            }
            else
            {
                g = g.add(parameter, alpha: wd);
            }
        }

        m.lerp_(g, 1 - beta1);
        v.mul_(beta2).addcmul_(g, g, value: 1 - beta2);
        torch.Tensor corrected = m.div(bc1);
        if (rectified)
        {
            // PyTorch: bias_corrected_exp_avg * lr * (bc2 ** 0.5 / (√v + eps)) * rect; a float over a tensor is reciprocal() * float.
            torch.Tensor adaptive = v.sqrt().add_(eps).reciprocal_().mul_(bc2Sqrt);
            parameter.add_(corrected.mul_(lr).mul_(adaptive).mul_(rect), alpha: -1.0);
        }
        else
        {
            parameter.add_(corrected.mul_(lr), alpha: -1.0);
        }
    }

    private static unsafe void Fused<T>(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, torch.Tensor m, torch.Tensor v, double bc1, double bc2Sqrt, bool rectified, double rect)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        (double beta1, double beta2) = group.GetPair("betas");
        double lr = group.Lr, wd = group.GetDouble("weight_decay");
        var kernel = new RAdamKernel<T>
        {
            P = Ptr<T>(parameter), G = Ptr<T>(grad), M = Ptr<T>(m), V = Ptr<T>(v),
            Maximize = group.GetBool("maximize"),
            Decoupled = group.GetBool("decoupled_weight_decay"),
            HasWeightDecay = wd != 0,
            Rectified = rectified,
            WeightDecay = Cast<T>(wd),
            DecayFactor = Cast<T>(1 - (lr * wd)),
            Lerp = new LerpWeight<T>(1 - beta1),
            Beta2 = Cast<T>(beta2),
            OneMinusBeta2 = Cast<T>(1 - beta2),
            Bc1 = Cast<T>(bc1),
            Lr = Cast<T>(lr),
            Bc2Sqrt = Cast<T>(bc2Sqrt),
            Rect = Cast<T>(rect),
            Eps = Cast<T>(group.GetDouble("eps")),
        };
        KernelLoop.Run(kernel, parameter.numel());
    }
}
