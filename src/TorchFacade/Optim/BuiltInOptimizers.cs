using TorchSharp;
using TorchSharp.Modules;

namespace TorchFacade.Optim;

/// <summary>
/// Factories for TorchSharp's built-in optimizers with PyTorch 2.x's parameter names (camelCase) and defaults, returning
/// TorchFacade's <see cref="Optimizer"/> shape (<see cref="BuiltInOptimizer"/>). They take any leaf tensors that require
/// grad and never invalidate them.
/// </summary>
/// <remarks>
/// Where TorchSharp 0.107's own factories differ from PyTorch these use PyTorch's values: <c>SGD</c>'s lr defaults to
/// 1e-3 (TorchSharp requires it), <c>AdamW</c>'s weight decay to 1e-2 (TorchSharp: 0), <c>maximize</c> negates the
/// gradient before weight decay for every optimizer (TorchSharp's SGD negates the whole update; its Adagrad has no
/// <c>maximize</c>), and <see cref="Optimizer.ZeroGrad"/> sets grads to null by default.
/// </remarks>
public static class BuiltInOptimizers
{
    /// <summary>PyTorch's <c>torch.optim.SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False)</c> over TorchSharp's <c>SGD</c>.</summary>
    /// <param name="parameters">The tensors to optimize (leaves that require grad).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="dampening">Dampening for momentum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum (needs momentum &gt; 0 and dampening 0).</param>
    /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or the parameter list is bad (PyTorch's messages).</exception>
    public static BuiltInOptimizer SGD(IEnumerable<torch.Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false) =>
        SGD(Single(parameters), lr, momentum, dampening, weightDecay, nesterov, maximize);

    /// <summary>PyTorch's <c>torch.optim.SGD([{"params": ...}, ...], ...)</c>: <see cref="SGD(IEnumerable{torch.Tensor}, double, double, double, double, bool, bool)"/> over parameter groups.</summary>
    /// <param name="groups">The groups; options not set on a group take the values below.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="dampening">Dampening for momentum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum (needs momentum &gt; 0 and dampening 0).</param>
    /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or a parameter list is bad (PyTorch's messages).</exception>
    public static BuiltInOptimizer SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false) =>
        new("SGD", groups, OptimizerDefaults.SGD(lr, momentum, dampening, weightDecay, nesterov, maximize),
            ps => new SGD(ps, lr, momentum, dampening, weightDecay, nesterov, false), ps => new SGD.ParamGroup { Parameters = ps });

    /// <summary>PyTorch's <c>torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *, maximize=False)</c> over TorchSharp's <c>Adam</c>.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">Coefficients of the running averages of the gradient and its square; default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator, outside the square root.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="amsgrad">Use the maximum of past second moments.</param>
    /// <param name="maximize">Maximize the objective.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or the parameter list is bad.</exception>
    public static BuiltInOptimizer Adam(IEnumerable<torch.Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false) =>
        Adam(Single(parameters), lr, betas, eps, weightDecay, amsgrad, maximize);

    /// <summary>PyTorch's <c>torch.optim.Adam</c> over parameter groups.</summary>
    /// <param name="groups">The groups; options not set on a group take the values below.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">Coefficients of the running averages of the gradient and its square; default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator, outside the square root.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="amsgrad">Use the maximum of past second moments.</param>
    /// <param name="maximize">Maximize the objective.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or a parameter list is bad.</exception>
    public static BuiltInOptimizer Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
    {
        var b = betas ?? (0.9, 0.999);
        return new("Adam", groups, OptimizerDefaults.Adam(lr, b, eps, weightDecay, amsgrad, maximize),
            ps => new Adam(ps, lr, b.Beta1, b.Beta2, eps, weightDecay, amsgrad, false), ps => new Adam.ParamGroup { Parameters = ps });
    }

    /// <summary>PyTorch's <c>torch.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *, maximize=False)</c> over TorchSharp's <c>AdamW</c> (whose own default weight decay is 0).</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">Running-average coefficients; default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay: θ ← θ·(1 − lr·weightDecay) before the Adam update.</param>
    /// <param name="amsgrad">Use the maximum of past second moments.</param>
    /// <param name="maximize">Maximize the objective.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or the parameter list is bad.</exception>
    public static BuiltInOptimizer AdamW(IEnumerable<torch.Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false) =>
        AdamW(Single(parameters), lr, betas, eps, weightDecay, amsgrad, maximize);

    /// <summary>PyTorch's <c>torch.optim.AdamW</c> over parameter groups.</summary>
    /// <param name="groups">The groups; options not set on a group take the values below.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="betas">Running-average coefficients; default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay.</param>
    /// <param name="amsgrad">Use the maximum of past second moments.</param>
    /// <param name="maximize">Maximize the objective.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or a parameter list is bad.</exception>
    public static BuiltInOptimizer AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
    {
        var b = betas ?? (0.9, 0.999);
        return new("AdamW", groups, OptimizerDefaults.AdamW(lr, b, eps, weightDecay, amsgrad, maximize),
            ps => new AdamW(ps, lr, b.Beta1, b.Beta2, eps, weightDecay, amsgrad, false), ps => new AdamW.ParamGroup { Parameters = ps });
    }

    /// <summary>PyTorch's <c>torch.optim.Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, *, maximize=False)</c> over TorchSharp's <c>Adagrad</c> (which has no <c>maximize</c>; this wrapper provides it).</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="lrDecay">Learning-rate decay: clr = lr / (1 + (t − 1)·lrDecay).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="initialAccumulatorValue">Starting value of the sum of squares.</param>
    /// <param name="eps">Added to the denominator, outside the square root.</param>
    /// <param name="maximize">Maximize the objective.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or the parameter list is bad.</exception>
    public static BuiltInOptimizer Adagrad(IEnumerable<torch.Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false) =>
        Adagrad(Single(parameters), lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize);

    /// <summary>PyTorch's <c>torch.optim.Adagrad</c> over parameter groups.</summary>
    /// <param name="groups">The groups; options not set on a group take the values below.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="lrDecay">Learning-rate decay.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="initialAccumulatorValue">Starting value of the sum of squares.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="maximize">Maximize the objective.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or a parameter list is bad.</exception>
    public static BuiltInOptimizer Adagrad(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false) =>
        new("Adagrad", groups, OptimizerDefaults.Adagrad(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize),
            ps => new Adagrad(ps, lr, lrDecay, weightDecay, initialAccumulatorValue, eps), ps => new Adagrad.ParamGroup { Parameters = ps });

    /// <summary>PyTorch's <c>torch.optim.RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, maximize=False)</c> over TorchSharp's <c>RMSProp</c>.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="alpha">Smoothing constant of the running average of squared gradients.</param>
    /// <param name="eps">Added to the denominator, outside the square root.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="centered">Normalize by an estimate of the gradient's variance.</param>
    /// <param name="maximize">Maximize the objective.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or the parameter list is bad.</exception>
    public static BuiltInOptimizer RMSprop(IEnumerable<torch.Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false) =>
        RMSprop(Single(parameters), lr, alpha, eps, weightDecay, momentum, centered, maximize);

    /// <summary>PyTorch's <c>torch.optim.RMSprop</c> over parameter groups.</summary>
    /// <param name="groups">The groups; options not set on a group take the values below.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="alpha">Smoothing constant.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="centered">Normalize by an estimate of the gradient's variance.</param>
    /// <param name="maximize">Maximize the objective.</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is out of range or a parameter list is bad.</exception>
    public static BuiltInOptimizer RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false) =>
        new("RMSprop", groups, OptimizerDefaults.RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize),
            ps => new RMSProp(ps, lr, alpha, eps, weightDecay, momentum, centered, false), ps => new RMSProp.ParamGroup { Parameters = ps });

    private static ParamGroup[] Single(IEnumerable<torch.Tensor> parameters) =>
        [new ParamGroup(parameters ?? throw new ArgumentNullException(null, "BuiltInOptimizers: 'parameters' is null; pass a value."))];
}
