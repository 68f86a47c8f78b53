using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Reference.Activations;

/// <summary>Elementary-op building blocks for the composed (non-kernel) paths.</summary>
internal static class Compose
{
    /// <summary>σ(t) = 1/(1 + exp(−t)), written out.</summary>
    public static Tensor Sigmoid(Tensor t) => t.neg().exp().add(1).reciprocal();

    /// <summary>log1p(exp(t)).</summary>
    public static Tensor LogOnePlusExp(Tensor t) => t.exp().log1p();

    /// <summary>1 − t.</summary>
    public static Tensor OneMinus(Tensor t) => t.neg().add(1);
}
