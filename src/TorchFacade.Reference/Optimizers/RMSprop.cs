using System.Numerics;
using TorchFacade.Optim;
using TorchFacade.Reference.Kernels;
using TorchFacade.Reference.Optimizers.Kernels;
using TorchSharp;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.RMSprop</c> written from scratch: g ← −g (maximize); g ← g + wd·p; sq ← α·sq + (1−α)·g²;
/// centered: ga ← α·ga + (1−α)·g, avg = √(sq − ga²) + eps, else avg = √sq + eps (eps outside the root, no bias
/// correction); momentum μ &gt; 0: buf ← μ·buf + g/avg, p ← p − lr·buf (buf starts at zero), else p ← p − lr·g/avg.
/// </summary>
public sealed class RMSprop : ReferenceOptimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors that require grad.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="alpha">Smoothing constant.</param>
    /// <param name="eps">Added to the denominator after the square root (default 1e-8).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="centered">Normalize by the estimated variance of the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <exception cref="ArgumentException">PyTorch's checks: <c>Invalid learning rate</c>, <c>Invalid epsilon value</c>, <c>Invalid momentum value</c>, <c>Invalid weight_decay value</c>, <c>Invalid alpha value</c>.</exception>
    /// <param name="capturable">Must be false.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    public RMSprop(IEnumerable<torch.Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false, bool capturable = false, bool? @foreach = null, bool differentiable = false)
        : base(parameters, OptimizerDefaults.RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize, capturable, @foreach, differentiable))
    {
    }

    /// <summary>Creates the optimizer over parameter groups; the values below are the defaults of every group.</summary>
    /// <param name="groups">The groups.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="alpha">Smoothing constant.</param>
    /// <param name="eps">Added to the denominator after the square root.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="centered">Normalize by the estimated variance of the gradient.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="capturable">Must be false.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <exception cref="ArgumentException">PyTorch's checks, or a bad group.</exception>
    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false, bool capturable = false, bool? @foreach = null, bool differentiable = false)
        : base(groups, OptimizerDefaults.RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize, capturable, @foreach, differentiable))
    {
    }

    /// <inheritdoc />
    private protected override bool DecaysBeforeRealView => true;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "square_avg", "momentum_buffer", "grad_avg"];

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        double momentum = group.GetDouble("momentum");
        torch.Tensor sq = state.Zeros("square_avg", parameter);
        torch.Tensor? buf = momentum > 0 ? state.Zeros("momentum_buffer", parameter) : null;
        torch.Tensor? ga = group.GetBool("centered") ? state.Zeros("grad_avg", parameter) : null;
        if (fused)
        {
            if (parameter.dtype == torch.ScalarType.Float32)
            {
                Fused<float>(group, parameter, grad, sq, ga, buf);
            }
            else
            {
                Fused<double>(group, parameter, grad, sq, ga, buf);
            }

            return;
        }

        double alpha = group.GetDouble("alpha"), wd = state.DecayApplied ? 0 : group.GetDouble("weight_decay"), eps = group.GetDouble("eps"), lr = group.Lr;
        torch.Tensor g = group.GetBool("maximize") && !state.DecayApplied ? grad.neg() : grad;
        if (wd != 0)
        {
            g = g.add(parameter, alpha: wd);
        }

        sq.mul_(alpha).addcmul_(g, g, value: 1 - alpha);
        torch.Tensor avg;
        if (ga is not null)
        {
            ga.lerp_(g, 1 - alpha);
            avg = sq.addcmul(ga, ga, value: -1).sqrt_().add_(eps);
        }
        else
        {
            avg = sq.sqrt().add_(eps);
        }

        if (buf is not null)
        {
            buf.mul_(momentum).addcdiv_(g, avg);
            parameter.add_(buf, alpha: -lr);
        }
        else
        {
            parameter.addcdiv_(g, avg, value: -lr);
        }
    }

    private static unsafe void Fused<T>(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, torch.Tensor sq, torch.Tensor? ga, torch.Tensor? buf)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double alpha = group.GetDouble("alpha"), wd = group.GetDouble("weight_decay");
        var kernel = new RMSpropKernel<T>
        {
            P = Ptr<T>(parameter), G = Ptr<T>(grad), SquareAvg = Ptr<T>(sq), GradAvg = Ptr<T>(ga), Buf = Ptr<T>(buf),
            Maximize = group.GetBool("maximize"),
            HasWeightDecay = wd != 0,
            WeightDecay = Cast<T>(wd),
            Alpha = Cast<T>(alpha),
            OneMinusAlpha = Cast<T>(1 - alpha),
            LerpSmall = T.Abs(Cast<T>(1 - alpha)) < T.CreateTruncating(0.5),
            Eps = Cast<T>(group.GetDouble("eps")),
            Momentum = Cast<T>(group.GetDouble("momentum")),
            NegLr = Cast<T>(-group.Lr),
        };
        KernelLoop.Run(kernel, parameter.numel());
    }
}
