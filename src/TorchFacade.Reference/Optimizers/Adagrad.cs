using System.Numerics;

using static TorchFacade.Reference.Optimizers.KeptScalars;

namespace TorchFacade.Reference.Optimizers;

/// <summary>
/// PyTorch's <c>torch.optim.Adagrad</c> written from scratch: t ← t+1; g ← −g (maximize); g ← g + wd·p;
/// clr = lr / (1 + (t−1)·lr_decay); sum ← sum + g²; p ← p − clr·g / (√sum + eps) (eps outside the root).
/// The state (<c>sum</c> = initial_accumulator_value, <c>step</c> = 0) is created in the constructor, as PyTorch does.
/// </summary>
public sealed class Adagrad : ReferenceOptimizer
{
    private readonly bool constructed;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="parameters">Leaf tensors that require grad.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="lrDecay">Learning-rate decay.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="initialAccumulatorValue">Starting value of the sum of squares (PyTorch takes the constructor's value for every group).</param>
    /// <param name="eps">Added to the denominator after the square root (default 1e-10).</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <exception cref="ArgumentException">PyTorch's checks: <c>Invalid learning rate</c>, <c>Invalid lr_decay value</c>, <c>Invalid weight_decay value</c>, <c>Invalid initial_accumulator_value value</c>, <c>Invalid epsilon value</c>.</exception>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag, kept in the groups.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag, kept in the groups.</param>
    public Adagrad(IEnumerable<torch.Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool? fused = null)
        : base(parameters, OptimizerDefaults.Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize, @foreach, differentiable, fused))
    {
        constructed = true;
    }

    /// <summary>Creates the optimizer over parameter groups; the values below are the defaults of every group.</summary>
    /// <param name="groups">The groups.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="lrDecay">Learning-rate decay.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="initialAccumulatorValue">Starting value of the sum of squares (PyTorch uses the constructor's value for every group).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="maximize">Negate the gradient first.</param>
    /// <param name="foreach">PyTorch's <c>foreach</c> flag.</param>
    /// <param name="differentiable">Must be false.</param>
    /// <param name="fused">PyTorch's <c>fused</c> flag.</param>
    /// <exception cref="ArgumentException">PyTorch's checks, or a bad group.</exception>
    public Adagrad(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false, bool? @foreach = null, bool differentiable = false, bool? fused = null)
        : base(groups, OptimizerDefaults.Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize, @foreach, differentiable, fused))
    {
        constructed = true;
    }

    /// <inheritdoc />
    private protected override bool DecaysBeforeRealView => true;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> StateNames => ["step", "sum"];

    /// <inheritdoc />
    internal override void Update(ParamGroup group, torch.Tensor parameter, torch.Tensor grad, ParamState state, bool fused)
    {
        torch.Tensor sum = state.Zeros("sum", parameter);
        double clr = group.Lr / (1 + ((state.Step - 1) * group.GetDouble("lr_decay")));
        if (fused)
        {
            RunFused(group, parameter, grad, state, new Kernel(group.GetDouble("eps"), -clr), sum);
            return;
        }

        torch.Tensor g = EffectiveGrad(group, parameter, grad, state);
        sum.addcmul_(g, g, value: S(1));
        torch.Tensor std = sum.sqrt().add_(S(group.GetDouble("eps")), One);
        parameter.addcdiv_(g, std, value: S(-clr));
    }

    /// <inheritdoc />
    /// <exception cref="TorchException">PyTorch 2.6's <c>KeyError: 'sum'</c>: a parameter with a grad has no state (its group was added with <see cref="Optimizer.AddParamGroup(ParamGroup)"/> after construction, or a loaded state dict had none for it).</exception>
    private protected override void CheckParameter(torch.Tensor parameter, int index)
    {
        if (!HasState(index))
        {
            throw new TorchException("KeyError", $"'sum': parameter {index} has no Adagrad state. PyTorch's Adagrad creates its state (sum, step) in the constructor only, so a group added later with add_param_group raises KeyError at its first step; pass every group to the constructor (or load a state dict that has the state).", "'sum'");
        }
    }

    /// <inheritdoc />
    private protected override bool ChecksFusedOncePerOptimizer => true;

    /// <inheritdoc />
    private protected override string? FusedComplexError(torch.Tensor parameter) => "`fused` does not support sparse grad or complex param";

    /// <inheritdoc />
    private protected override bool FusedSupportsCuda => false;

    /// <inheritdoc />
    private protected override ParamState? CreateInitialState(torch.Tensor parameter)
    {
        if (constructed)
        {
            // PyTorch's Adagrad creates state in __init__ only; add_param_group's parameters get none.
            return null;
        }

        var s = new ParamState { Complex = torch.is_complex(parameter) };
        double init = ScalarValue(Defaults["initial_accumulator_value"]);
        using (torch.no_grad())
        using (KeptScalars.Open())
        {
            s.Buffers["sum"] = (s.Complex ? torch.full_like(parameter, S(new System.Numerics.Complex(init, init))) : torch.full_like(parameter, S(init))).DetachFromDisposeScope();
        }

        return s;
    }

    /// <summary>
    /// PyTorch's single-tensor Adagrad update after the prologue, in LibTorch's operation order:
    /// <c>sum = fma(g, g, sum)</c> (<c>addcmul_</c> fused); <c>std = √sum + eps</c>; <c>p = p + (−clr·g) / std</c>.
    /// Buffer: sum.
    /// </summary>
    private readonly struct Kernel(double eps, double negClr) : IStepRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV>(ref TV p, TV g, ref TV s0, ref TV s1, ref TV s2)
            where TV : struct, ISimd<TV>
        {
            s0 = TV.FusedMultiplyAdd(g, g, s0);
            p += TV.Create(negClr) * g / (TV.Sqrt(s0) + TV.Create(eps));
        }
    }
}
