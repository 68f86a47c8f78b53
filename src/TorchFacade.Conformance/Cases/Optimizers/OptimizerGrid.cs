namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>The hyperparameter grid every optimizer is checked over (each option alone and the combinations that interact).</summary>
internal static class OptimizerGrid
{
    /// <summary>Every configuration in the grid.</summary>
    public static IReadOnlyList<OptimizerSpec> All { get; } =
    [
        new(OptimizerKind.SGD) { Lr = 0.1 },
        new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9 },
        new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9, Dampening = 0.5 },
        new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9, Nesterov = true },
        new(OptimizerKind.SGD) { Lr = 0.1, WeightDecay = 0.01 },
        new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9, Dampening = 0.1, WeightDecay = 0.01 },
        new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9, Maximize = true },
        new(OptimizerKind.SGD) { Lr = 0.1, WeightDecay = 0.01, Maximize = true },
        new(OptimizerKind.SGD) { Lr = 0.1, Momentum = 0.9, Nesterov = true, WeightDecay = 0.01, Maximize = true },
        new(OptimizerKind.Adagrad) { Lr = 0.1 },
        new(OptimizerKind.Adagrad) { Lr = 0.1, LrDecay = 0.1, InitialAccumulatorValue = 0.5 },
        new(OptimizerKind.Adagrad) { Lr = 0.1, WeightDecay = 0.01 },
        new(OptimizerKind.Adagrad) { Lr = 0.1, Eps = 1e-3 },
        new(OptimizerKind.Adagrad) { Lr = 0.1, WeightDecay = 0.01, Maximize = true },
        new(OptimizerKind.RMSprop) { },
        new(OptimizerKind.RMSprop) { Alpha = 0.9, Momentum = 0.9 },
        new(OptimizerKind.RMSprop) { Centered = true },
        new(OptimizerKind.RMSprop) { Momentum = 0.9, Centered = true },
        new(OptimizerKind.RMSprop) { WeightDecay = 0.01 },
        new(OptimizerKind.RMSprop) { WeightDecay = 0.01, Maximize = true },
        new(OptimizerKind.Adam) { Lr = 0.1 },
        new(OptimizerKind.Adam) { Lr = 0.1, WeightDecay = 0.01 },
        new(OptimizerKind.Adam) { Lr = 0.1, Amsgrad = true },
        new(OptimizerKind.Adam) { Lr = 0.1, Amsgrad = true, WeightDecay = 0.01 },
        new(OptimizerKind.Adam) { Lr = 0.1, Betas = (0.9, 0.5), Amsgrad = true },
        new(OptimizerKind.Adam) { Lr = 0.1, Eps = 1e-3 },
        new(OptimizerKind.Adam) { Lr = 0.1, WeightDecay = 0.01, Maximize = true },
        new(OptimizerKind.AdamW) { Lr = 0.1 },
        new(OptimizerKind.AdamW) { Lr = 0.1, WeightDecay = 0.1, Amsgrad = true },
        new(OptimizerKind.AdamW) { Lr = 0.1, Betas = (0.8, 0.9), Maximize = true },
    ];
}
