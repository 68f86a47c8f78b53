namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>The optimizers the conformance suite covers (PyTorch's class names in ids, lower-case).</summary>
public enum OptimizerKind
{
    /// <summary><c>torch.optim.SGD</c>.</summary>
    SGD,

    /// <summary><c>torch.optim.Adagrad</c>.</summary>
    Adagrad,

    /// <summary><c>torch.optim.RMSprop</c>.</summary>
    RMSprop,

    /// <summary><c>torch.optim.Adam</c>.</summary>
    Adam,

    /// <summary><c>torch.optim.AdamW</c>.</summary>
    AdamW,
}
