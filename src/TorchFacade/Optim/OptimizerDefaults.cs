namespace TorchFacade.Optim;

/// <summary>
/// The option dictionaries of PyTorch's optimizers (<c>param_groups</c> keys, in PyTorch 2.6's order, including its
/// implementation flags <c>foreach</c>, <c>fused</c>, <c>capturable</c> and <c>differentiable</c>), shared by the built-in
/// wrappers and the reference optimizers so both expose the same keys and a PyTorch state dict loads into either.
/// </summary>
public static class OptimizerDefaults
{
    /// <summary>SGD's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="momentum">momentum.</param>
    /// <param name="dampening">dampening.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="nesterov">nesterov.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="foreach">foreach (None by default; the update is the same either way here).</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <param name="fused">fused (None by default; the update is the same either way here).</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> SGD(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize, bool? @foreach = null, bool differentiable = false, bool? fused = null) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["momentum"] = momentum, ["dampening"] = dampening, ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov, ["maximize"] = maximize, ["foreach"] = @foreach, ["differentiable"] = differentiable, ["fused"] = fused,
        };

    /// <summary>Adam's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="betas">betas.</param>
    /// <param name="eps">eps.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="amsgrad">amsgrad.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="capturable">capturable (must be false).</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <param name="fused">fused.</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> Adam(double lr, (double, double) betas, double eps, double weightDecay, bool amsgrad, bool maximize, bool? @foreach = null, bool capturable = false, bool differentiable = false, bool? fused = null) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["amsgrad"] = amsgrad, ["maximize"] = maximize,
            ["foreach"] = @foreach, ["capturable"] = capturable, ["differentiable"] = differentiable, ["fused"] = fused,
        };

    /// <summary>AdamW's options (Adam's keys in AdamW's order).</summary>
    /// <param name="lr">lr.</param>
    /// <param name="betas">betas.</param>
    /// <param name="eps">eps.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="amsgrad">amsgrad.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="capturable">capturable (must be false).</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <param name="fused">fused.</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> AdamW(double lr, (double, double) betas, double eps, double weightDecay, bool amsgrad, bool maximize, bool? @foreach = null, bool capturable = false, bool differentiable = false, bool? fused = null) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["amsgrad"] = amsgrad,
            ["foreach"] = @foreach, ["maximize"] = maximize, ["capturable"] = capturable, ["differentiable"] = differentiable, ["fused"] = fused,
        };

    /// <summary>Adagrad's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="lrDecay">lr_decay.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="initialAccumulatorValue">initial_accumulator_value.</param>
    /// <param name="eps">eps.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <param name="fused">fused.</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> Adagrad(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps, bool maximize, bool? @foreach = null, bool differentiable = false, bool? fused = null) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["lr_decay"] = lrDecay, ["eps"] = eps, ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue, ["foreach"] = @foreach, ["maximize"] = maximize,
            ["differentiable"] = differentiable, ["fused"] = fused,
        };

    /// <summary>RMSprop's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="alpha">alpha.</param>
    /// <param name="eps">eps.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="momentum">momentum.</param>
    /// <param name="centered">centered.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="capturable">capturable (must be false).</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> RMSprop(double lr, double alpha, double eps, double weightDecay, double momentum, bool centered, bool maximize, bool capturable = false, bool? @foreach = null, bool differentiable = false) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["momentum"] = momentum, ["alpha"] = alpha, ["eps"] = eps, ["centered"] = centered, ["weight_decay"] = weightDecay,
            ["capturable"] = capturable, ["foreach"] = @foreach, ["maximize"] = maximize, ["differentiable"] = differentiable,
        };

    /// <summary>NAdam's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="betas">betas.</param>
    /// <param name="eps">eps.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="momentumDecay">momentum_decay.</param>
    /// <param name="decoupledWeightDecay">decoupled_weight_decay.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="capturable">capturable (must be false).</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> NAdam(double lr, (double, double) betas, double eps, double weightDecay, double momentumDecay, bool decoupledWeightDecay, bool maximize, bool? @foreach = null, bool capturable = false, bool differentiable = false) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["momentum_decay"] = momentumDecay,
            ["decoupled_weight_decay"] = decoupledWeightDecay, ["maximize"] = maximize, ["foreach"] = @foreach, ["capturable"] = capturable,
            ["differentiable"] = differentiable,
        };

    /// <summary>RAdam's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="betas">betas.</param>
    /// <param name="eps">eps.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="decoupledWeightDecay">decoupled_weight_decay.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="capturable">capturable (must be false).</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> RAdam(double lr, (double, double) betas, double eps, double weightDecay, bool decoupledWeightDecay, bool maximize, bool? @foreach = null, bool capturable = false, bool differentiable = false) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["maximize"] = maximize, ["foreach"] = @foreach,
            ["capturable"] = capturable, ["decoupled_weight_decay"] = decoupledWeightDecay, ["differentiable"] = differentiable,
        };

    /// <summary>Adamax's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="betas">betas.</param>
    /// <param name="eps">eps.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <param name="capturable">capturable (must be false).</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> Adamax(double lr, (double, double) betas, double eps, double weightDecay, bool maximize, bool? @foreach = null, bool differentiable = false, bool capturable = false) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["foreach"] = @foreach, ["maximize"] = maximize,
            ["differentiable"] = differentiable, ["capturable"] = capturable,
        };

    /// <summary>Adadelta's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="rho">rho.</param>
    /// <param name="eps">eps.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="capturable">capturable (must be false).</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> Adadelta(double lr, double rho, double eps, double weightDecay, bool maximize, bool capturable = false, bool? @foreach = null, bool differentiable = false) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["rho"] = rho, ["eps"] = eps, ["weight_decay"] = weightDecay, ["maximize"] = maximize, ["capturable"] = capturable,
            ["foreach"] = @foreach, ["differentiable"] = differentiable,
        };

    /// <summary>ASGD's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="lambd">lambd.</param>
    /// <param name="alpha">alpha.</param>
    /// <param name="t0">t0.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <param name="capturable">capturable (must be false).</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> ASGD(double lr, double lambd, double alpha, double t0, double weightDecay, bool maximize, bool? @foreach = null, bool differentiable = false, bool capturable = false) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["lambd"] = lambd, ["alpha"] = alpha, ["t0"] = t0, ["weight_decay"] = weightDecay, ["foreach"] = @foreach,
            ["maximize"] = maximize, ["differentiable"] = differentiable, ["capturable"] = capturable,
        };

    /// <summary>Rprop's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="etas">etas.</param>
    /// <param name="stepSizes">step_sizes.</param>
    /// <param name="maximize">maximize.</param>
    /// <param name="foreach">foreach.</param>
    /// <param name="differentiable">differentiable (must be false).</param>
    /// <param name="capturable">capturable (must be false).</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> Rprop(double lr, (double, double) etas, (double, double) stepSizes, bool maximize, bool? @foreach = null, bool differentiable = false, bool capturable = false) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["etas"] = etas, ["step_sizes"] = stepSizes, ["foreach"] = @foreach, ["maximize"] = maximize,
            ["differentiable"] = differentiable, ["capturable"] = capturable,
        };

    /// <summary>LBFGS's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="maxIter">max_iter.</param>
    /// <param name="maxEval">max_eval (PyTorch: max_iter * 5 // 4 when None).</param>
    /// <param name="toleranceGrad">tolerance_grad.</param>
    /// <param name="toleranceChange">tolerance_change.</param>
    /// <param name="historySize">history_size.</param>
    /// <param name="lineSearchFn">line_search_fn: null or "strong_wolfe".</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object?> LBFGS(double lr, long maxIter, long? maxEval, double toleranceGrad, double toleranceChange, long historySize, string? lineSearchFn) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["max_iter"] = maxIter, ["max_eval"] = maxEval ?? (maxIter * 5 / 4), ["tolerance_grad"] = toleranceGrad,
            ["tolerance_change"] = toleranceChange, ["history_size"] = historySize, ["line_search_fn"] = lineSearchFn,
        };
}
