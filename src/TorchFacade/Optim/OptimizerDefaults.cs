namespace TorchFacade.Optim;

/// <summary>
/// The option dictionaries of PyTorch's optimizers (<c>param_groups</c> keys), shared by the built-in wrappers and the
/// reference optimizers so both expose the same keys.
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
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object> SGD(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize) =>
        new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["momentum"] = momentum, ["dampening"] = dampening, ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov, ["maximize"] = maximize,
        };

    /// <summary>Adam's and AdamW's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="betas">betas.</param>
    /// <param name="eps">eps.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="amsgrad">amsgrad.</param>
    /// <param name="maximize">maximize.</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object> Adam(double lr, (double, double) betas, double eps, double weightDecay, bool amsgrad, bool maximize) =>
        new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["amsgrad"] = amsgrad, ["maximize"] = maximize,
        };

    /// <summary>Adagrad's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="lrDecay">lr_decay.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="initialAccumulatorValue">initial_accumulator_value.</param>
    /// <param name="eps">eps.</param>
    /// <param name="maximize">maximize.</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object> Adagrad(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps, bool maximize) =>
        new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["lr_decay"] = lrDecay, ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue, ["eps"] = eps, ["maximize"] = maximize,
        };

    /// <summary>RMSprop's options.</summary>
    /// <param name="lr">lr.</param>
    /// <param name="alpha">alpha.</param>
    /// <param name="eps">eps.</param>
    /// <param name="weightDecay">weight_decay.</param>
    /// <param name="momentum">momentum.</param>
    /// <param name="centered">centered.</param>
    /// <param name="maximize">maximize.</param>
    /// <returns>The options by PyTorch's key.</returns>
    public static IReadOnlyDictionary<string, object> RMSprop(double lr, double alpha, double eps, double weightDecay, double momentum, bool centered, bool maximize) =>
        new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["lr"] = lr, ["alpha"] = alpha, ["eps"] = eps, ["weight_decay"] = weightDecay, ["momentum"] = momentum,
            ["centered"] = centered, ["maximize"] = maximize,
        };
}
